/**
 * What the forms of the active, index and migration pages open with when the engine knows the
 * stack (the demo: profiles/demo.yaml on the throw-away stack). Values the person can change,
 * never a run: active probes still need their consent.
 */
import { z } from 'zod';

export const FormPresets = z.object({
  /** Where the values come from, shown beside the forms (e.g. "profiles/demo.yaml, environment local"). */
  source: z.string().nullable(),
  /** The Endpoints probe form: the environment's API and its profile's CORS allowlist. */
  http: z.object({ baseUrl: z.string(), allowedOrigins: z.array(z.string()), intervalMs: z.number().int(), production: z.boolean() }).nullable(),
  rateLimit: z.object({ url: z.string(), limit: z.number().int(), windowSeconds: z.number().int(), xffCheck: z.boolean(), environment: z.string() }).nullable(),
  sse: z
    .object({
      url: z.string(),
      /** The demo's own throw-away database (its URL is printed by `preflight demo` too). */
      pgUrl: z.string(),
      applicationName: z.string().nullable(),
      clientAddress: z.string().nullable(),
      streams: z.number().int(),
      seconds: z.number(),
      environment: z.string(),
    })
    .nullable(),
  indexes: z.object({ yaml: z.string(), source: z.string() }).nullable(),
  migrations: z.object({ dir: z.string(), environment: z.string() }).nullable(),
});
export type FormPresets = z.infer<typeof FormPresets>;

export const NO_PRESETS: FormPresets = { source: null, http: null, rateLimit: null, sse: null, indexes: null, migrations: null };
