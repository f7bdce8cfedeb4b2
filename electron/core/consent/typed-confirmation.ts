/**
 * What a person must type back before Preflight acts on a target (an active probe's burst, a
 * migration, a cancelled backend) — decided here and nowhere else:
 * - production (electron/core/consent/production.ts): the environment's name;
 * - anything else: the target's host, so a stray click never acts on the wrong machine.
 * In a dialog or a terminal prompt that is always asked. Through CLI flags (`--confirm`) the flag
 * is the consent, so only production (`--confirm-environment`) and a non-loopback host with no
 * environment named (`--confirm-host`) need something typed.
 */
import type { TypedConfirmation } from '../../../shared/schemas/confirmation';
import { isProductionEnvironment, type EnvironmentLike } from './production';

export type { TypedConfirmation };

export interface ConfirmationTarget {
  environment: string;
  /** host[:port] as the person gave it in the URL. */
  host: string;
  /** Decided by isProductionEnvironment; computed from `environment` when left out. */
  production?: boolean;
  environmentKind?: EnvironmentLike['kind'];
}

const productionOf = (t: ConfirmationTarget) => t.production ?? isProductionEnvironment({ name: t.environment, kind: t.environmentKind });

/** The dialog's and the terminal prompt's rule. */
export function typedConfirmationFor(target: ConfirmationTarget): TypedConfirmation {
  return productionOf(target) ? { what: 'environment', value: target.environment } : { what: 'host', value: target.host };
}

/** The flags' rule (`--confirm` given): null when the flag alone is enough. */
export function flagConfirmationFor(target: ConfirmationTarget & { environmentNamed: boolean }): TypedConfirmation | null {
  if (productionOf(target)) return { what: 'environment', value: target.environment };
  if (!target.environmentNamed && !isLoopbackHost(hostnameOf(target.host))) return { what: 'host', value: target.host };
  return null;
}

function hostnameOf(host: string): string {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return host;
  }
}

/** Loopback targets (this machine) need no host typed back through flags. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
