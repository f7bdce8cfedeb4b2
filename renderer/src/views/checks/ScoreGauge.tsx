/** A half-circle gauge: 0–100, the ready line marked, coloured by verdict. */
export function ScoreGauge(props: { score: number; readyAt: number; verdict: 'ready' | 'not_ready'; uncappedScore: number | null }) {
  const r = 80;
  const arc = (value: number) => {
    const angle = Math.PI * (1 - value / 100);
    return { x: 100 + r * Math.cos(angle), y: 100 - r * Math.sin(angle) };
  };
  const end = arc(props.score);
  const line = arc(props.readyAt);
  const color = props.verdict === 'ready' ? 'var(--ok)' : props.score >= props.readyAt * 0.75 ? 'var(--warn)' : 'var(--bad)';
  return (
    <figure className="gauge" data-testid="score-gauge" aria-label={`Readiness ${props.score} of 100, ${props.verdict === 'ready' ? 'ready' : 'not ready'}`}>
      <svg viewBox="0 0 200 120" width="220" height="132" role="img">
        <path d={`M 20 100 A ${r} ${r} 0 0 1 180 100`} stroke="#2a3342" strokeWidth="16" fill="none" />
        {props.score > 0 ? <path d={`M 20 100 A ${r} ${r} 0 0 1 ${end.x.toFixed(2)} ${end.y.toFixed(2)}`} stroke={color} strokeWidth="16" fill="none" /> : null}
        <line x1={line.x} y1={line.y} x2={100 + (line.x - 100) * 1.18} y2={100 + (line.y - 100) * 1.18} stroke="#e6edf5" strokeWidth="2" />
        <text x="100" y="92" textAnchor="middle" fontSize="34" fontWeight="700" fill="#e6edf5">
          {props.score}
        </text>
        <text x="100" y="112" textAnchor="middle" fontSize="11" fill="#8a96a8">
          of 100 · ready at {props.readyAt}
        </text>
      </svg>
      <figcaption className={`verdict verdict-${props.verdict}`}>
        {props.verdict === 'ready' ? 'READY' : 'NOT READY'}
        {props.uncappedScore !== null ? <span className="subtle">capped from {props.uncappedScore} by a failing critical check</span> : null}
      </figcaption>
    </figure>
  );
}
