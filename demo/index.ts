export { startSampleApi, PRODUCTION_ORIGINS, DEFAULT_LIMITS, type SampleApi, type SampleApiOptions } from './api/server';
export { TWIN_NAMES, parseTwins, type TwinName, type Twins } from './api/twins';
export { signPayload } from './api/webhook';
export { startDemoStack, type DemoStack } from './stack';
export { applyDemoMigrations, startCacheTraffic, DEMO_MIGRATIONS_DIR, type CacheTraffic } from './demo-database';
export { startSentryStandIn, type SentryStandIn } from './sentry-standin';
