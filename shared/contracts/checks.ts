import { z } from 'zod';
import { CheckCategory, CheckSeverity } from '../schemas/check';
import { WalkthroughView } from '../schemas/checklist';
import { ActivePlan, ActiveProbeKind, Consent } from '../schemas/active';
import { ReadinessReport } from '../schemas/readiness';

/** Profiles are named by their file's base name from the profile folders, never by a path the UI invents. */
const ProfileRef = z.object({ profile: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'a profile name from checks.profiles'), environment: z.string().min(1).max(100) });

export const ProfileSummary = z.object({
  profile: z.string(),
  title: z.string().nullable(),
  environments: z.array(z.object({ name: z.string(), kind: z.string() })),
  hasChecklist: z.boolean(),
  /** Why the profile cannot be used right now (e.g. file:line of a validation error, an unset ${VAR}). */
  error: z.string().nullable(),
});

/** One active probe a run with allowActive would start, and exactly what it would send where. */
const ActiveProbePlan = z.object({
  probe: ActiveProbeKind,
  /** The profile's rate-limit id, or 'sse'. */
  id: z.string(),
  plan: ActivePlan,
});
type ActiveProbePlan = z.infer<typeof ActiveProbePlan>;

export const ActiveRunPlan = z.object({
  environment: z.string(),
  /** By kind or by name: the consent needs the environment's name typed back. */
  production: z.boolean(),
  /** In the order checks.run expects one consent each. */
  probes: z.array(ActiveProbePlan),
  /** Active probes of the selection that will send nothing, and why (no target, probe: false, …). */
  notSent: z.array(z.string()),
});
export type ActiveRunPlan = z.infer<typeof ActiveRunPlan>;

const CatalogueEntry = z.object({ id: z.string(), title: z.string(), category: CheckCategory, severity: CheckSeverity, fix: z.string(), probes: z.array(z.string()) });

export const checksCalls = {
  'checks.catalogue': { input: z.object({}), output: z.array(CatalogueEntry) },
  'checks.profiles': { input: z.object({}), output: z.array(ProfileSummary) },
  /** What checks.run with allowActive would send where (host, endpoint, count per active probe). Sends nothing. */
  'checks.activePlan': { input: ProfileRef.extend({ only: z.array(z.string().max(100)).max(100).optional() }), output: ActiveRunPlan },
  'checks.run': {
    input: ProfileRef.extend({
      only: z.array(z.string().max(100)).max(100).optional(),
      allowActive: z.boolean().default(false),
      /** With allowActive: one typed consent per checks.activePlan probe, in its order (verified like active.start's). */
      consent: z.array(Consent).max(100).optional(),
      runKey: z.string().max(100).optional(),
    }),
    output: ReadinessReport,
  },
  'checks.cancel': { input: z.object({ runKey: z.string().min(1).max(100) }), output: z.object({ cancelled: z.boolean() }) },
  /** The latest stored run (also from earlier sessions), re-scored for display. */
  'checks.latest': { input: ProfileRef, output: ReadinessReport.nullable() },
  'checklist.view': { input: ProfileRef, output: WalkthroughView.nullable() },
  'checklist.start': { input: ProfileRef, output: WalkthroughView },
  'checklist.phase': { input: ProfileRef.extend({ phaseId: z.enum(['pre-deploy', 'deploy', 'first-24h']) }), output: WalkthroughView },
  'checklist.sign': { input: ProfileRef.extend({ stepId: z.string().min(1).max(100), name: z.string().trim().min(1).max(200), note: z.string().max(2000).nullable().default(null) }), output: WalkthroughView },
  'checklist.export': { input: ProfileRef.extend({ format: z.enum(['md', 'html']) }), output: z.object({ filename: z.string(), mimeType: z.string(), content: z.string() }) },
} as const;

export const checksEvents = {
  /** One probe of a run finished (for the re-run progress bar). */
  'checks.progress': z.object({ runKey: z.string(), profile: z.string(), environment: z.string(), probe: z.string(), status: z.enum(['ok', 'error', 'skipped']), done: z.number().int(), total: z.number().int() }),
} as const;
