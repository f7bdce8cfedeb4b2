export { startSampleApi, PRODUCTION_ORIGINS, DEFAULT_LIMITS, type SampleApi, type SampleApiOptions } from './api/server';
export type { TwinName, Twins } from './api/twins';
export { startDemoStack } from './stack';
export { startCacheTraffic } from './demo-database';
export { startSentryStandIn, type SentryStandIn } from './sentry-standin';
