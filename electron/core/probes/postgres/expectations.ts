/**
 * Loads expected indexes from a file. Three shapes are accepted: a bare YAML list of
 * expectations, a real profile (`version: 1` …, read through the profile loader: its
 * `expectations.postgres.indexes`, optional ones included and marked), or a fragment with an
 * `expectations.indexes` key.
 */
import { parse } from 'yaml';
import { z } from 'zod';
import { IndexExpectation } from '../../../../shared/schemas/indexes';
import { MAX_YAML_ALIAS_COUNT, parseProfile, ProfileError } from '../../profile/load';
import { FileRefusedError, formatBytes, MAX_PROFILE_BYTES, readRegularFile } from '../../util/read-file';
import { InputError } from '../../util/errors';

const ExpectationList = z.array(IndexExpectation);
const ProfileWithIndexes = z.object({ expectations: z.object({ indexes: ExpectationList }).passthrough() }).passthrough();

export class ExpectationFileError extends InputError {
  override readonly code = 'bad_expectations';
}

function describeIssues(error: z.ZodError, file: string): string {
  const lines = error.issues.slice(0, 5).map((i) => `  at ${i.path.join('.') || '(top level)'}: ${i.message}`);
  return `${file} is not a valid index expectation file:\n${lines.join('\n')}`;
}

/** Parses already-read YAML text; `file` names the source in error messages. */
export function parseIndexExpectations(text: string, file = '(expectations)'): IndexExpectation[] {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_PROFILE_BYTES) throw new ExpectationFileError(`${file} is ${formatBytes(bytes)}, over the ${formatBytes(MAX_PROFILE_BYTES)} limit: it is refused before parsing.`);
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (err) {
    throw new ExpectationFileError(`${file} is not valid YAML: ${(err as Error).message}`);
  }
  if (Array.isArray(doc)) {
    const list = ExpectationList.safeParse(doc);
    if (!list.success) throw new ExpectationFileError(describeIssues(list.error, file));
    return list.data;
  }
  if (doc && typeof doc === 'object' && 'version' in doc && 'environments' in doc) {
    try {
      const profile = parseProfile(text, file);
      // Optional entries stay in: the report shows them (not_applicable with the reason when absent).
      return (profile.expectations.postgres?.indexes ?? []).map((i) => ({
        name: i.name,
        table: i.table,
        columns: i.columns,
        unique: i.unique,
        method: i.method,
        optional: i.optional,
        ...(i.where ? { where: i.where } : {}),
        ...(i.note ? { note: i.note } : {}),
      }));
    } catch (err) {
      if (err instanceof ProfileError) throw new ExpectationFileError(err.message);
      throw err;
    }
  }
  if (doc && typeof doc === 'object' && 'expectations' in doc) {
    const profile = ProfileWithIndexes.safeParse(doc);
    if (!profile.success) throw new ExpectationFileError(describeIssues(profile.error, file));
    return profile.data.expectations.indexes;
  }
  throw new ExpectationFileError(`${file} has neither a list of expected indexes nor an \`expectations.indexes\` key.`);
}

export function loadIndexExpectations(file: string): IndexExpectation[] {
  let text: string;
  try {
    text = readRegularFile(file, MAX_PROFILE_BYTES);
  } catch (err) {
    throw new ExpectationFileError(`Cannot read expectation file ${file}: it ${err instanceof FileRefusedError ? err.reason : (err as Error).message}`);
  }
  return parseIndexExpectations(text, file);
}
