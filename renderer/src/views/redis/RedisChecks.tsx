import type { CheckResult } from '../../../../shared/schemas/check';

/** The Redis checks over the newest sample, one line each with its verdict. */
export function RedisChecks(props: { checks: CheckResult[] }) {
  return (
    <ul className="check-list" data-testid="redis-checks">
      {props.checks.map((c) => (
        <li key={c.id} data-testid={`check-${c.id}`}>
          <span className={`chip check-${c.status}`}>{c.status}</span>
          <strong>{c.title}</strong>
          <span className="check-summary">{c.summary}</span>
        </li>
      ))}
    </ul>
  );
}
