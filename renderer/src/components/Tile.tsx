import type { ReactNode } from 'react';
import type { Tone } from '../../../shared/schemas/check';

export type { Tone };

export function Tile(props: { label: string; value: ReactNode; detail?: ReactNode; tone?: Tone; testId?: string }) {
  return (
    <div className={`tile tone-${props.tone ?? 'neutral'}`} data-testid={props.testId}>
      <div className="tile-label">{props.label}</div>
      <div className="tile-value">{props.value}</div>
      {props.detail ? <div className="tile-detail">{props.detail}</div> : null}
    </div>
  );
}
