import type { ReactNode } from 'react';

/** Empty, loading and error states that look deliberate rather than broken. */
export function StateMessage(props: { kind: 'empty' | 'loading' | 'error'; title: string; children?: ReactNode }) {
  return (
    <div className={`state-message state-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.kind === 'loading' ? <span className="spinner" aria-hidden /> : null}
      <strong>{props.title}</strong>
      {props.children ? <div>{props.children}</div> : null}
    </div>
  );
}
