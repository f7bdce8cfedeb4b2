import type { CheckResult } from '../../../../shared/schemas/check';

export function ChecksList(props: { checks: CheckResult[] }) {
  return (
    <div data-testid="checks-list">
      {props.checks.map((c) => (
        <p key={c.id} className="check-line" data-testid={`check-${c.id}`}>
          <span className={`chip status-${c.status}`}>{c.status}</span>
          <strong>{c.id}</strong> — {c.summary}
        </p>
      ))}
    </div>
  );
}
