import { Bar, BarChart, CartesianGrid, LabelList, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CategoryScore } from '../../../../shared/schemas/readiness';

/** Score per category (0–100, same weighting as the total) with the ready line. The right margin fits a full bar's "100 pts" label. */
export function CategoryBars(props: { categories: CategoryScore[]; readyAt: number }) {
  const data = props.categories.map((c) => ({ ...c, label: `${c.category} (${c.pass} pass · ${c.warn} warn · ${c.fail} fail · ${c.unknown} unknown)` }));
  return (
    <div className="chart" data-testid="category-bars">
      <div className="chart-title">Score by category (this run, points of 100)</div>
      <ResponsiveContainer width="100%" height={54 + data.length * 44}>
        <BarChart data={data} layout="vertical" margin={{ top: 22, right: 56, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#2a3342" horizontal={false} />
          <XAxis type="number" domain={[0, 100]} stroke="#8a96a8" fontSize={11} unit=" pts" />
          <YAxis type="category" dataKey="category" stroke="#8a96a8" fontSize={12} width={110} />
          <Tooltip formatter={(v) => [`${String(v)} pts`, 'score']} labelFormatter={(_l, payload) => String((payload?.[0]?.payload as { label?: string } | undefined)?.label ?? '')} contentStyle={{ background: '#111823', border: '1px solid #2a3342' }} />
          <ReferenceLine x={props.readyAt} stroke="#f5a524" strokeDasharray="6 3" label={{ value: `ready ${props.readyAt}`, fill: '#f5a524', fontSize: 11, position: 'top' }} />
          <Bar dataKey="score" fill="#4f9cf9" isAnimationActive={false}>
            {/* A plain <text>: recharts' own label gets the room left inside the plot as its width, so a full bar's "100 pts" broke onto two lines. */}
            <LabelList
              dataKey="score"
              position="right"
              content={({ x, y, value }) => (
                <text className="category-score-label" x={Number(x)} y={Number(y)} dy="0.35em" fill="#e6edf5" fontSize={11}>
                  {`${String(value)} pts`}
                </text>
              )}
            />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
