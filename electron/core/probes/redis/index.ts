export { RedisProbeClient, RedisUnreachableError } from './client';
export { parseRedisUrl } from './url';
export { parseInfo, INFO_SECTIONS } from './info';
export { RateTracker } from './rates';
export { sampleRedis } from './sample';
