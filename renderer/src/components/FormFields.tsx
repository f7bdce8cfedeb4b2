/** Form fields the connect forms share: a masked connection URL, a sampling interval, label text that marks a required field. */
import type { ReactNode } from 'react';

/** A field's label text; a required one carries a visible mark (its input says aria-required for screen readers). */
export function LabelText(props: { children: ReactNode; required?: boolean }) {
  return (
    <span className="label-text">
      {props.children}
      {props.required ? (
        <span className="required-mark" title="required" aria-hidden="true">
          {' *'}
        </span>
      ) : null}
    </span>
  );
}

export function SecretUrlField(props: { label: string; value: string; onChange: (v: string) => void; placeholder: string; testId: string; required?: boolean }) {
  return (
    <label>
      <LabelText required={props.required ?? true}>{props.label}</LabelText>
      <input
        type="password"
        autoComplete="off"
        spellCheck={false}
        placeholder={props.placeholder}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
        required={props.required ?? true}
        aria-required={props.required ?? true}
      />
    </label>
  );
}

export function IntervalField(props: { label: string; value: number; onChange: (ms: number) => void; choices: number[]; testId?: string; ariaLabel?: string }) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(Number(e.target.value))} data-testid={props.testId} aria-label={props.ariaLabel}>
        {props.choices.map((ms) => (
          <option key={ms} value={ms}>
            {ms / 1000} s
          </option>
        ))}
      </select>
    </label>
  );
}
