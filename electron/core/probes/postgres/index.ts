export { ProbeClient, TargetUnreachableError, UnsafeTargetError, InvalidTargetError, assertNotTransactionPooler } from './client';
export { pgTargetIdentity, ownBackendPids } from './connections';
export { sampleActivity } from './activity';
export { listSessions } from './sessions';
