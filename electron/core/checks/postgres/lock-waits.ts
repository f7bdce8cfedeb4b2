/** pg.lock-waits: the longest wait on a lock, and who holds it. */
import { Band } from '../../profile/fields';
import { defineCheck, fail, pass, warn } from '../define';
import { sec } from './format';

export default defineCheck({
  id: 'pg.lock-waits',
  title: 'No session stuck waiting on a lock',
  category: 'performance',
  severity: 'medium',
  fix: 'No long-running transactions or migrations blocking the app at deploy time',
  needs: ['postgres'],
  expectations: { postgres: { lockWaitSeconds: Band.default({ warn: 1, fail: 10 }) } },
  evaluate({ postgres: sample }, { postgres: { lockWaitSeconds: band } }) {
    const waits = sample.blocked.map((b) => b.waitingSeconds ?? 0);
    const longest = waits.length ? Math.max(...waits) : 0;
    const evidence = { sampledAt: sample.sampledAt, waitingOnLocks: sample.waitingOnLocks, longestWaitSeconds: longest, thresholdsSeconds: band, blocked: sample.blocked.slice(0, 10) };
    if (sample.waitingOnLocks === 0 && sample.blocked.length === 0) return pass(`No session waiting on a lock at ${sample.sampledAt}`, evidence);
    const first = sample.blocked[0];
    const what = `${Math.max(sample.waitingOnLocks, sample.blocked.length)} session(s) waiting on locks, longest ${sec(longest)}${first ? ` (pid ${first.pid} blocked by ${first.blockedBy.join(', ')})` : ''} at ${sample.sampledAt}`;
    if (longest >= band.fail) return fail(`${what}; limit ${sec(band.fail)}`, evidence);
    if (longest >= band.warn) return warn(`${what}; warning at ${sec(band.warn)}`, evidence);
    return pass(`${what}; all under ${sec(band.warn)}`, evidence);
  },
});
