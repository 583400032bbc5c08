import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { systemName, useCourses, useSites } from '../../api/reference';
import type { Cohort, PledgeItem, System, TrainingPlan } from '../../api/types';
import { formatDate, humanize } from '../../lib/format';
import { Empty } from '../common';

const DAY = 86_400_000;
const stateColour: Record<string, string> = {
  planned: '#2f6fbf',
  reserved: '#4c3fb1',
  started: '#b86e00',
  completed: '#1f7a3a',
  failed: '#b3261e',
};
const colourOf = (state: string | undefined) => stateColour[state ?? 'planned'] ?? '#55606e';
const dateMs = (d: string) => new Date(`${d.slice(0, 10)}T00:00:00Z`).getTime();

interface Row {
  cohort: Cohort;
  label: string;
  course: string;
  site: string;
  range: [number, number];
}

/**
 * The training plan as a Gantt chart: one bar per cohort over its session's dates, with each
 * system's delivery deadline (the start of its delivery window) as a red line.
 */
export function TrainingGantt({ plan, items, systems }: { plan: TrainingPlan | null | undefined; items: PledgeItem[]; systems: System[] | undefined }) {
  const courses = useCourses();
  const sites = useSites();
  if (!plan || !plan.cohorts?.length) {
    return (
      <>
        <Empty>{plan ? 'The training plan has no cohorts.' : 'No training plan yet: it is made once the review has accepted the pledge.'}</Empty>
        {plan && <UnmetList plan={plan} systems={systems} />}
      </>
    );
  }
  const rows: Row[] = [...plan.cohorts]
    .sort((a, b) => a.start.localeCompare(b.start) || a.systemId.localeCompare(b.systemId))
    .map((c) => {
      const course = courses?.find((x) => x.id === c.courseId)?.name ?? c.courseId;
      const site = sites?.find((x) => x.id === c.siteId)?.name ?? c.siteId ?? '';
      return {
        cohort: c,
        course,
        site,
        label: `${course} (${c.trainees})`,
        range: [dateMs(c.start), dateMs(c.end) + DAY],
      };
    });
  // One deadline per system: the earliest start of its delivery windows.
  const deadlines = new Map<string, number>();
  for (const item of items) {
    const t = dateMs(item.deliveryWindow.from);
    if (!deadlines.has(item.systemId) || t < deadlines.get(item.systemId)!) deadlines.set(item.systemId, t);
  }
  const times = [...rows.flatMap((r) => r.range), ...deadlines.values()];
  const min = Math.min(...times) - 7 * DAY;
  const max = Math.max(...times) + 14 * DAY;
  const states = [...new Set(rows.map((r) => r.cohort.state ?? 'planned'))];

  return (
    <div className="gantt" data-testid="training-gantt">
      <div className="gantt-legend" aria-hidden="true">
        {states.map((s) => (
          <span key={s}>
            <i style={{ background: colourOf(s) }} /> {humanize(s)}
          </span>
        ))}
        <span>
          <i className="deadline-swatch" /> Delivery deadline
        </span>
      </div>
      <div style={{ width: '100%', height: 90 + rows.length * 34 }} role="img" aria-label={`Gantt chart of ${rows.length} training cohorts; the table below lists them`}>
        <ResponsiveContainer>
          <BarChart data={rows} layout="vertical" margin={{ top: 26, right: 24, bottom: 8, left: 8 }} barCategoryGap={6}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" dataKey="range" domain={[min, max]} scale="time" tickFormatter={(t: number) => formatDate(new Date(t).toISOString())} tick={{ fontSize: 12 }} />
            <YAxis type="category" dataKey="label" width={230} tick={{ fontSize: 12 }} interval={0} />
            <Tooltip
              cursor={{ fill: 'rgba(0,0,0,0.04)' }}
              content={({ active, payload }) => {
                const row = active && payload?.[0] ? (payload[0].payload as Row) : undefined;
                if (!row) return null;
                return (
                  <div className="chart-tooltip">
                    <strong>{row.course}</strong>
                    <div>{systemName(systems, row.cohort.systemId)}</div>
                    <div>
                      {formatDate(row.cohort.start)} – {formatDate(row.cohort.end)}
                    </div>
                    <div>
                      {row.cohort.trainees} trainees{row.site ? ` at ${row.site}` : ''}
                    </div>
                    <div>{humanize(row.cohort.state ?? 'planned')}</div>
                  </div>
                );
              }}
            />
            <Bar dataKey="range" isAnimationActive={false} radius={3}>
              {rows.map((r) => (
                <Cell key={r.cohort.id} fill={colourOf(r.cohort.state)} />
              ))}
            </Bar>
            {[...deadlines.entries()].map(([systemId, t]) => (
              <ReferenceLine
                key={systemId}
                x={t}
                stroke="#b3261e"
                strokeWidth={2}
                strokeDasharray="6 3"
                label={deadlineLabel(`Delivery: ${systemName(systems, systemId)}`)}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      {plan.readyBy && Object.keys(plan.readyBy).length > 0 && (
        <ul className="ready-by">
          {Object.entries(plan.readyBy).map(([systemId, date]) => {
            const deadline = deadlines.get(systemId);
            const late = date && deadline !== undefined && dateMs(date) > deadline;
            return (
              <li key={systemId} data-testid="ready-by">
                {systemName(systems, systemId)}: crews ready{' '}
                {date ? (
                  <strong className={late ? 'text-bad' : 'text-good'}>
                    by {formatDate(date)}
                    {late ? ' — after delivery' : ' — before delivery'}
                  </strong>
                ) : (
                  <strong className="text-bad">not all can be trained</strong>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <UnmetList plan={plan} systems={systems} />
      <details>
        <summary>Show the cohorts as a table</summary>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">System</th>
              <th scope="col">Course</th>
              <th scope="col">Site</th>
              <th scope="col">Start</th>
              <th scope="col">End</th>
              <th scope="col">Trainees</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.cohort.id}>
                <td>{systemName(systems, r.cohort.systemId)}</td>
                <td>{r.course}</td>
                <td>{r.site || '—'}</td>
                <td>{formatDate(r.cohort.start)}</td>
                <td>{formatDate(r.cohort.end)}</td>
                <td>{r.cohort.trainees}</td>
                <td>{humanize(r.cohort.state ?? 'planned')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}

/** A deadline's label above the plot, ending at its line, so it is neither clipped nor over a bar. */
function deadlineLabel(text: string) {
  const DeadlineLabel = (props: { viewBox?: { x?: number; y?: number } }) => (
    <text x={(props.viewBox?.x ?? 0) + 4} y={(props.viewBox?.y ?? 0) - 8} textAnchor="end" fill="#b3261e" fontSize={12} fontWeight={600}>
      {text}
    </text>
  );
  return DeadlineLabel;
}

function UnmetList({ plan, systems }: { plan: TrainingPlan; systems: System[] | undefined }) {
  if (!plan.unmet?.length) return null;
  return (
    <div className="alert alert-warning" data-testid="unmet">
      <strong>What the plan cannot meet</strong>
      <ul>
        {plan.unmet.map((u, i) => (
          <li key={i}>
            {u.trainees ?? '?'} trainees for {u.systemId ? systemName(systems, u.systemId) : 'a system'}
            {u.courseId ? ` (course ${u.courseId})` : ''}: {u.reason === 'no_capacity_before_deadline' ? 'no places before the delivery deadline' : u.reason === 'no_capacity' ? 'no places at all' : humanize(u.reason ?? 'unmet')}
          </li>
        ))}
      </ul>
    </div>
  );
}
