/**
 * The engine behind every face: implements each contract call over plain-Node probes and
 * publishes contract events. Electron IPC, `preflight serve` and tests all use this.
 * Each feature contributes its handlers from its own file; add one line per feature here.
 */
import type { Handlers } from '../../../shared/contract';
import { createChecksHandlers } from './checks-handlers';
import { createConnectionsHandlers } from './connections-handlers';
import { createActiveHandlers } from './active-handlers';
import { EventHub } from './event-hub';
import { NO_PRESETS, type FormPresets } from '../../../shared/schemas/presets';
import type { EngineContext, EngineOptions } from './feature';
import { createIndexHandlers } from './index-handlers';
import { createLaunchHandlers } from './launch-handlers';
import { createMigrationHandlers } from './migration-handlers';
import { createHttpHandlers } from './http-handlers';
import { createPgHandlers } from './pg-handlers';
import { createRedisHandlers } from './redis-handlers';
import { createTelemetryHandlers } from './telemetry-handlers';

export type { EngineOptions } from './feature';

export interface Engine {
  handlers: Handlers;
  events: EventHub;
  /** The values the pages' forms open with (the demo's stack). */
  setFormPresets(presets: FormPresets): void;
  close(): Promise<void>;
}

export function createEngine(options: EngineOptions): Engine {
  const ctx: EngineContext = { events: new EventHub(), options, presets: NO_PRESETS };
  const pg = createPgHandlers(ctx);
  const redis = createRedisHandlers(ctx);
  const indexes = createIndexHandlers(ctx);
  const migrations = createMigrationHandlers(ctx);
  const checks = createChecksHandlers(ctx);
  const http = createHttpHandlers(ctx);
  const active = createActiveHandlers(ctx);
  const connections = createConnectionsHandlers(ctx, { 'pg.watch': pg.handlers['pg.watch'], 'redis.watch': redis.handlers['redis.watch'] });
  const launch = createLaunchHandlers(ctx);
  const telemetry = createTelemetryHandlers(ctx);
  const features = [pg, redis, indexes, migrations, checks, http, active, connections, launch, telemetry];
  const handlers: Handlers = {
    'app.info': async () => ({ version: options.version, transport: options.transport, keepAwake: options.keepAwake !== undefined }),
    'app.presets': async () => ctx.presets,
    ...pg.handlers,
    ...redis.handlers,
    ...indexes.handlers,
    ...migrations.handlers,
    ...checks.handlers,
    ...http.handlers,
    ...active.handlers,
    ...connections.handlers,
    ...launch.handlers,
    ...telemetry.handlers,
  };
  return {
    handlers,
    events: ctx.events,
    setFormPresets(presets) {
      ctx.presets = presets;
    },
    async close() {
      await Promise.all(features.map((f) => f.close()));
    },
  };
}
