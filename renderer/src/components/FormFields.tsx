/** Form fields the connect forms share: a masked connection URL and a sampling interval. */

export function SecretUrlField(props: { label: string; value: string; onChange: (v: string) => void; placeholder: string; testId: string; required?: boolean }) {
  return (
    <label>
      {props.label}
      <input
        type="password"
        autoComplete="off"
        spellCheck={false}
        placeholder={props.placeholder}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
        required={props.required ?? true}
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
