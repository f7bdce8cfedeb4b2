export { ProbeClient, TargetUnreachableError, UnsafeTargetError, ConnectionBudgetError, InvalidTargetError, assertNotTransactionPooler, PROBE_APPLICATION_NAME, describePgError } from './client';
export { pgTargetIdentity, ownBackendPids, connectionBudget } from './connections';
export { sampleActivity, activitySql } from './activity';
export { listSessions, readRawQuery } from './sessions';
