export { loadMigrations, MigrationFileError, type MigrationFile } from './migration-files';
export { readMigrationStatus, ChecksumMismatchError } from './status';
export { buildPlan } from './plan';
export { applyMigrations, LintBlockedError } from './apply';
export { verifyMigrations } from './verify';
export { MigrationLockedError } from './writer-connection';
