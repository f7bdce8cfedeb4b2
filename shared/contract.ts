/**
 * The one contract between the engine and every face (Electron IPC, `preflight serve`, the
 * renderer's client). A name that is not in this table cannot be called or subscribed to.
 */
import { z } from 'zod';
import { indexCalls, indexEvents } from './contracts/indexes';
import { migrationCalls, migrationEvents } from './contracts/migrations';
import { checksCalls, checksEvents } from './contracts/checks';
import { httpCalls, httpEvents } from './contracts/http';
import { activeCalls, activeEvents } from './contracts/active';
import { pgCalls, pgEvents } from './contracts/postgres';
import { redisCalls, redisEvents } from './contracts/redis';
import { connectionsCalls } from './contracts/connections';
import { launchCalls, launchEvents } from './contracts/launch';
import { telemetryCalls } from './contracts/telemetry';
import { FormPresets } from './schemas/presets';

// Each feature keeps its calls and events in shared/contracts/<feature>.ts; add one spread here.
export const calls = {
  'app.info': {
    input: z.object({}),
    output: z.object({
      version: z.string(),
      transport: z.enum(['ipc', 'http']),
      /** The desktop app can keep the machine awake during a launch watch (launch.start keepAwake). */
      keepAwake: z.boolean().default(false),
    }),
  },
  /** What the forms open with (the demo's stack); empty fields when the engine knows no stack. */
  'app.presets': { input: z.object({}), output: FormPresets },
  ...pgCalls,
  ...redisCalls,
  ...indexCalls,
  ...migrationCalls,
  ...checksCalls,
  ...httpCalls,
  ...activeCalls,
  ...connectionsCalls,
  ...launchCalls,
  ...telemetryCalls,
} as const;

export const events = {
  ...pgEvents,
  ...redisEvents,
  ...indexEvents,
  ...migrationEvents,
  ...checksEvents,
  ...httpEvents,
  ...activeEvents,
  ...launchEvents,
} as const;

export type CallName = keyof typeof calls;
export type EventName = keyof typeof events;
export type CallInput<K extends CallName> = z.input<(typeof calls)[K]['input']>;
export type CallParsedInput<K extends CallName> = z.output<(typeof calls)[K]['input']>;
export type CallOutput<K extends CallName> = z.output<(typeof calls)[K]['output']>;
export type EventPayload<K extends EventName> = z.output<(typeof events)[K]>;

export const callNames = Object.keys(calls) as CallName[];

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name);
}
export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}

/** What crosses every transport: a result or an error a person can read. */
export type Envelope<T> = { result: T } | { error: { message: string; code: string } };

/** The engine side implements one async function per call. */
export type Handlers = { [K in CallName]: (input: CallParsedInput<K>) => Promise<CallOutput<K>> };

/** The UI side sees the same calls, typed from the table. */
export interface ContractClient {
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
}
