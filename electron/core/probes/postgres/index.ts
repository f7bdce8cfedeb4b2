export { ProbeClient, TargetUnreachableError, UnsafeTargetError, assertNotTransactionPooler, PROBE_APPLICATION_NAME, describePgError } from './client';
export { sampleActivity, activitySql } from './activity';
export { listSessions, readRawQuery } from './sessions';
