/** pg.idle-in-transaction: the longest session sitting idle inside an open transaction. */
import { Band } from '../../profile/fields';
import { defineCheck, fail, pass, warn } from '../define';
import { sec } from './format';

export default defineCheck({
  id: 'pg.idle-in-transaction',
  title: 'No session sits idle in a transaction',
  category: 'performance',
  severity: 'high',
  fix: 'Sessions closed after each unit of work (streaming endpoints open and close their own session per poll); no leaked transactions',
  needs: ['postgres'],
  expectations: { postgres: { idleInTransactionSeconds: Band.default({ warn: 5, fail: 30 }) } },
  evaluate({ postgres: sample }, { postgres: { idleInTransactionSeconds: band } }) {
    const longest = sample.longestIdleInTransactionSeconds ?? 0;
    const sessions = sample.idleInTransaction;
    const evidence = { sampledAt: sample.sampledAt, sessions: sessions.length, longestSeconds: longest, thresholdsSeconds: band, oldest: sessions.slice(0, 10) };
    if (sessions.length === 0) return pass(`No session idle in transaction at ${sample.sampledAt}`, evidence);
    const what = `${sessions.length} session(s) idle in transaction, longest ${sec(longest)} (pid ${sessions[0]!.pid}, application "${sessions[0]!.application}") at ${sample.sampledAt}`;
    if (longest >= band.fail) return fail(`${what}; limit ${sec(band.fail)}`, evidence);
    if (longest >= band.warn) return warn(`${what}; warning at ${sec(band.warn)}`, evidence);
    return pass(`${what}; all under ${sec(band.warn)}`, evidence);
  },
});
