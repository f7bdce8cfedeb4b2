export { loadMigrations, parseMigrationText, MigrationFileError, type MigrationFile } from './migration-files';
export { lintMigration, LINT_RULES, unacknowledged, type LintFinding, type LintRuleId } from './lint';
export { readMigrationStatus, ChecksumMismatchError } from './status';
export { buildPlan } from './plan';
export { applyMigrations, LintBlockedError, type ApplyOptions } from './apply';
export { verifyMigrations } from './verify';
export { MigrationLockedError, MIGRATION_APPLICATION_NAME } from './writer-connection';
