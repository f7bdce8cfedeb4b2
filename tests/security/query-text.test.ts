/**
 * Query text from pg_stat_activity leaves the engine normalised: every literal a `$n`
 * placeholder, comments dropped — through listSessions, `pg sessions --json` and the contract's
 * `pg.sessions`. The raw text of one session comes only from `pg.sessionQuery` (the UI's reveal).
 */
import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchCall, unwrap } from '../../shared/dispatch';
import { createEngine } from '../../electron/core/api/engine';
import { readAudit } from '../../electron/core/audit/audit-log';
import { ProbeClient, listSessions } from '../../electron/core/probes/postgres';
import { normalizeSql } from '../../electron/core/util/sql-normalize';
import { closeAll, freshDatabase, openSessions, waitFor } from '../harness';
import { runCli } from '../harness/cli';

describe('normalizeSql', () => {
  // [raw text, the canaries it hides, the normalised text (written by hand)]
  const cases: [string, string[], string][] = [
    ["SELECT crypt('CryptPlainPw3', gen_salt('bf'))", ['CryptPlainPw3'], 'SELECT crypt($1, gen_salt($2))'],
    ["INSERT INTO users (id, email, pw, tok) VALUES (1, 'ann@example.com','InsertPlainPw1','InsertApiTok2')", ['InsertPlainPw1', 'InsertApiTok2', 'ann@'], 'INSERT INTO users (id, email, pw, tok) VALUES ($1, $2,$3,$4)'],
    ["UPDATE s SET auth = 'Bearer eyJhbGciOiJIUzI1NiJ9.Canary.sig', hook = 'whsec_Canary2' WHERE id = $1", ['eyJ', 'whsec_'], 'UPDATE s SET auth = $2, hook = $3 WHERE id = $1'],
    ["SELECT 'it''s Doubled''Canary3'''", ['Doubled', 'Canary3'], 'SELECT $1'],
    ["SELECT E'esc\\'aped \\\\' , e'Esc\\'Canary4'", ['aped', 'Canary4'], 'SELECT $1 , $2'],
    ['SELECT $$Dollar \'Canary5\' $$, $tag$ inner $$ Tagged6 $tag$', ['Canary5', 'Tagged6', 'inner'], 'SELECT $1, $2'],
    ["SELECT 1; INSERT INTO t VALUES ('MultiCanary7'); SELECT 2.5e3", ['MultiCanary7', '2.5'], 'SELECT $1; INSERT INTO t VALUES ($2); SELECT $3'],
    ['-- LineComment8\nSELECT /* outer /* nested Comment9 */ still */ x FROM t', ['Comment8', 'Comment9', 'still'], 'SELECT x FROM t'],
    ['SET app.api_token = SetCanary10; SET search_path TO public, app; SET x TO DEFAULT', ['SetCanary10'], 'SET app.api_token = $1; SET search_path TO $2, $3; SET x TO DEFAULT'],
    ["ALTER ROLE app PASSWORD 'Cut-off-by-track_activity_query_size", ['Cut-off'], 'ALTER ROLE app PASSWORD $1'],
    ["SELECT B'0101', X'1F', N'Nat11', U&'d\\0061t12', 0x1F, .5, 1_000", ['Nat11', 't12', '0101'], 'SELECT $1, $2, $3, $4, $5, $6, $7'],
    ['SELECT a$b$c, "Quoted ""x""" FROM t /* unterminated Comment13', ['Comment13'], 'SELECT a$b$c, "Quoted ""x""" FROM t'],
  ];
  for (const [sql, canaries, expected] of cases) {
    it(`normalises ${sql.slice(0, 50).replace(/\n/g, ' ')}…`, () => {
      const out = normalizeSql(sql);
      for (const c of canaries) expect(out).not.toContain(c);
      expect(out).toBe(expected);
    });
  }

  it('leaves statements without literals as they are, whitespace runs made single', () => {
    expect(normalizeSql('SELECT id, name\n  FROM insights\n WHERE status = $1')).toBe('SELECT id, name\nFROM insights\nWHERE status = $1');
  });

  // Random statements built from well-formed tokens, with a canary inside every literal and comment.
  const CANARY = 'Qx9Canary';
  const content = fc.string({ unit: fc.constantFrom('a', ' ', "'", '"', '\\', '$', '-', '*', '/', ';', '\n', ':', '@', '%'), maxLength: 12 }).map((s) => `${s}${CANARY}${s}`);
  // One pass of replace is not enough: removing the "*/" in "**//" leaves a new "*/", which would
  // end the comment early and put the canary outside it (no longer a well-formed comment).
  const withoutCommentMarks = (s: string): string => {
    let out = s;
    while (/\*\/|\/\*/.test(out)) out = out.replace(/\*\/|\/\*/g, '');
    return out;
  };
  const token = fc.oneof(
    fc.constantFrom('SELECT', 'FROM', 't', 'x_1', 'a$b', '(', ')', ',', ';', '=', '::text', '$1', ' ', '\n', '"Id""x"'),
    content.map((s) => `'${s.replace(/'/g, "''")}'`),
    content.map((s) => `E'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`),
    content.map((s) => (s.includes('$q$') ? `'x'` : `$q$${s}$q$`)),
    content.map((s) => (s.includes('$$') ? `'x'` : `$$${s}$$`)),
    content.map((s) => `/* ${withoutCommentMarks(s)} */`),
    content.map((s) => `-- ${s.replace(/\n/g, ' ')}\n`),
    fc.integer({ min: 0, max: 1_000_000 }).map(String),
  );
  const statement = fc.array(token, { maxLength: 30 }).map((tokens) => tokens.join(' '));

  it('never shows a literal or comment of a well-formed statement, and is idempotent', () => {
    fc.assert(
      fc.property(statement, (sql) => {
        const out = normalizeSql(sql);
        expect(out).not.toContain(CANARY);
        expect(normalizeSql(out)).toBe(out);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 3000) },
    );
  });
});

describe('query text of real sessions', () => {
  let url: string;
  let probe: ProbeClient;
  let sessions: pg.Client[] = [];
  let running: Promise<unknown> | null = null;
  const app = `qtext-${process.pid}`;
  const CANARIES = ['CryptPlainPw3', 'InsertPlainPw1', 'InsertApiTok2', 'eyJhbGciOiJIUzI1NiJ9', 'whsec_CanaryHook', 'DoubledCanary4', 'EscCanary5', 'DollarCanary6', 'TaggedCanary7', 'CommentCanary8', 'SetCanary9', 'ActiveCanary10'];
  /** Each session's last statement (the simple query protocol keeps a multi-statement text whole). */
  const STATEMENTS: [string, string][] = [
    ["SELECT crypt('CryptPlainPw3', gen_salt('bf'))", 'SELECT crypt($1, gen_salt($2))'],
    ["INSERT INTO accounts (id, email, pw, tok) VALUES (1, 'ann@example.com', 'InsertPlainPw1', 'InsertApiTok2')", 'INSERT INTO accounts (id, email, pw, tok) VALUES ($1, $2, $3, $4)'],
    ["SELECT 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig' AS auth, 'whsec_CanaryHook' AS hook", 'SELECT $1 AS auth, $2 AS hook'],
    ["SELECT 'it''s DoubledCanary4', E'esc\\'aped EscCanary5'", 'SELECT $1, $2'],
    ['SELECT $$DollarCanary6$$; SELECT $t$TaggedCanary7$t$ /* CommentCanary8 */', 'SELECT $1; SELECT $2'],
    ['SET app.api_token = SetCanary9', 'SET app.api_token = $1'],
  ];

  beforeAll(async () => {
    url = (await freshDatabase('qtext')).url;
    probe = new ProbeClient(url);
    sessions = await openSessions(url, STATEMENTS.length + 1, app);
    await sessions[0]!.query('CREATE EXTENSION IF NOT EXISTS pgcrypto');
    await sessions[0]!.query('CREATE TABLE accounts (id int, email text, pw text, tok text)');
    for (const [i, [sql]] of STATEMENTS.entries()) await sessions[i]!.query(sql);
    // Active: its literal is on screen for as long as the sleep runs.
    running = sessions[STATEMENTS.length]!.query("SELECT pg_sleep(60), 'ActiveCanary10'").catch(() => null);
    await waitFor(async () => (await listSessions(probe)).some((s) => s.application === app && s.state === 'active'), { what: 'the active session' });
  });
  afterAll(async () => {
    await probe?.query('SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND state = $2', [app, 'active']).catch(() => null);
    await running;
    await probe?.close();
    await closeAll(sessions);
  });

  const mine = <T extends { application: string }>(rows: T[]) => rows.filter((r) => r.application === app);
  const expectNormalised = (rows: { application: string; query: string }[]) => {
    const text = JSON.stringify(rows);
    for (const canary of CANARIES) expect(text).not.toContain(canary);
    expect(mine(rows).map((r) => r.query).sort()).toEqual([...STATEMENTS.map(([, normalised]) => normalised), 'SELECT pg_sleep($1), $2'].sort());
  };

  it('listSessions shows every statement normalised, while the server itself holds the secrets', async () => {
    expectNormalised(await listSessions(probe));
    const raw = await probe.query<{ query: string }>('SELECT query FROM pg_stat_activity WHERE application_name = $1', [app]);
    for (const canary of CANARIES) expect(raw.rows.map((r) => r.query).join('\n')).toContain(canary);
  });

  it('`pg sessions --json` prints them normalised', async () => {
    const cli = await runCli(['pg', 'sessions', '--url', url, '--json']);
    expect(cli.code).toBe(0);
    expectNormalised(JSON.parse(cli.stdout));
    for (const canary of CANARIES) expect(cli.stderr).not.toContain(canary);
  });

  it('the contract lists them normalised and reveals the raw text of one pid only on request', async () => {
    const engine = createEngine({ transport: 'http', version: 'test' });
    try {
      const { targetId } = unwrap(await dispatchCall(engine.handlers, 'pg.watch', { url, intervalMs: 60_000 })) as { targetId: string };
      const listed = unwrap(await dispatchCall(engine.handlers, 'pg.sessions', { targetId })) as { pid: number; application: string; query: string }[];
      expectNormalised(listed);
      const insert = mine(listed).find((s) => s.query.startsWith('INSERT'))!;
      const revealed = unwrap(await dispatchCall(engine.handlers, 'pg.sessionQuery', { targetId, pid: insert.pid })) as { pid: number; query: string } | null;
      expect(revealed?.pid).toBe(insert.pid);
      expect(revealed?.query).toBe(STATEMENTS[1]![0]);
      // A pid that is not a session: nothing, not an error.
      expect(unwrap(await dispatchCall(engine.handlers, 'pg.sessionQuery', { targetId, pid: 2_000_000_000 }))).toBeNull();
      // Each reveal is in the audit log by pid, without the text.
      const reveals = readAudit().filter((a) => a.action === 'pg.reveal-query');
      expect(reveals.map((a) => [a.details?.pid, a.outcome])).toEqual([
        [insert.pid, 'succeeded'],
        [2_000_000_000, 'failed'],
      ]);
      for (const canary of CANARIES) expect(JSON.stringify(reveals)).not.toContain(canary);
    } finally {
      await engine.close();
    }
  });
});
