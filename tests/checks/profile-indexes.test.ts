/** `pg indexes --expect` reads a real profile through the profile loader; the bare list still works. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExpectationFileError, loadIndexExpectations } from '../../electron/core/probes/postgres/expectations';
import { PROJECT_ROOT } from '../harness/cli';
import { tempDir } from './fixtures';

describe('index expectations from a profile', () => {
  it('profiles/startinsight.yaml gives every listed index, optional ones marked, the same as the bare list', () => {
    const fromProfile = loadIndexExpectations(join(PROJECT_ROOT, 'profiles', 'startinsight.yaml'));
    const bare = loadIndexExpectations(join(PROJECT_ROOT, 'profiles', 'startinsight-indexes.yaml'));
    expect(fromProfile.map((i) => i.name)).toEqual(bare.map((i) => i.name));
    expect(fromProfile).toHaveLength(13);
    for (const list of [fromProfile, bare]) {
      expect(list.filter((i) => i.optional).map((i) => i.name)).toEqual(['idx_insights_source']);
      expect(list.find((i) => i.name === 'idx_insights_source')!.note).toContain('insights.source does not exist');
    }
    expect(fromProfile.find((i) => i.name === 'idx_users_email')).toMatchObject({ table: 'users', columns: ['email'], unique: true, method: 'btree' });
  });

  it('a profile error is reported with the profile loader’s file:line message', () => {
    const file = join(tempDir(), 'p.yaml');
    writeFileSync(file, 'version: 1\nname: x\nenvironments:\n  - { name: prod, kind: production }\nexpectations:\n  postgres:\n    indexes:\n      - { name: a, table: t, columns: c }\n');
    expect(() => loadIndexExpectations(file)).toThrow(ExpectationFileError);
    expect(() => loadIndexExpectations(file)).toThrow(/p\.yaml.*8/s);
  });
});
