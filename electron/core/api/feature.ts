import type { CallName, Handlers } from '../../../shared/contract';
import type { RendererErrorReport } from '../../../shared/contracts/telemetry';
import type { FormPresets } from '../../../shared/schemas/presets';
import type { SecretCipher } from '../connections/secret-cipher';
import type { KeepAwake } from '../watch/keep-awake';
import type { EventHub } from './event-hub';

export interface EngineOptions {
  transport: 'ipc' | 'http';
  version: string;
  /** The OS keychain for saved connections (the desktop app's safeStorage); none elsewhere. */
  secretCipher?: SecretCipher;
  /** Hands a renderer's crash to the main process's Sentry (the desktop app with a DSN); none elsewhere. */
  reportRendererError?: (report: RendererErrorReport) => boolean;
  /** Electron's power-save blocker, for a launch watch that asks to keep the machine awake; desktop only. */
  keepAwake?: KeepAwake;
}

/** What every feature's handlers get: the event hub and the engine's options. */
export interface EngineContext {
  events: EventHub;
  options: EngineOptions;
  /** What the pages' forms open with; set by the demo once its stack is up. */
  presets: FormPresets;
}

/** One feature's share of the contract, plus how to release what it holds. */
export interface FeatureHandlers<K extends CallName> {
  handlers: Pick<Handlers, K>;
  close(): Promise<void>;
}
