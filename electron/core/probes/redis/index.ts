export { RedisProbeClient, RedisUnreachableError, describeRedisError, reconnectDelayMs } from './client';
export { parseRedisUrl } from './url';
export { parseInfo, infoFields, unknownSections, INFO_SECTIONS, type RedisInfo, type InfoSectionName } from './info';
export { RateTracker, detectReset, windowDelta, lifetimeHitRate, ROLLING_WINDOWS, type CounterSnapshot } from './rates';
export { sampleRedis, buildSample, countersOf } from './sample';
