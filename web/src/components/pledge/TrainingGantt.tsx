import { useEffect, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { systemName, useCourses, useSites } from '../../api/reference';
import type { Cohort, Course, PledgeItem, System, TrainingPlan, Unmet } from '../../api/types';
import { formatDate, formatMonth, humanize, plural } from '../../lib/format';
import { Empty } from '../common';

const DAY = 86_400_000;
const stateColour: Record<string, string> = {
  planned: '#2f6fbf',
  reserved: '#4c3fb1',
  started: '#b86e00',
  completed: '#1f7a3a',
  failed: '#b3261e',
  released: '#8a94a3',
};
const colourOf = (state: string | undefined) => stateColour[state ?? 'planned'] ?? '#55606e';
const dateMs = (d: string) => new Date(`${d.slice(0, 10)}T00:00:00Z`).getTime();

/** Whom a cohort trains, from its group ("mirage-2000-5-crew-2027-06-01"): pilots, crews or maintainers. */
export function audienceOf(groupId: string, system: System | undefined): string {
  const audience = /-(crew|maintainer)-\d{4}-\d{2}-\d{2}$/.exec(groupId)?.[1];
  if (audience === 'maintainer') return 'Maintainers';
  if (audience === 'crew') return system?.category === 'fighter' ? 'Pilots' : 'Crews';
  return 'Trainees';
}

/** "5 passed, 1 failed" for a completed cohort some of whose trainees failed; null when none did. */
export function outcomeText(cohort: Pick<Cohort, 'passed' | 'failed'>): string | null {
  return cohort.failed ? `${cohort.passed ?? '?'} passed, ${cohort.failed} failed` : null;
}

/** The state in a word, with the outcome when trainees failed: "Completed (5 passed, 1 failed)". */
const stateWithOutcome = (cohort: Cohort) => {
  const outcome = outcomeText(cohort);
  return outcome ? `${humanize(cohort.state)} (${outcome})` : humanize(cohort.state);
};

/** A cohort as people read it: whom it trains, the course and site by name, its days as a time range. */
export interface CohortRow {
  cohort: Cohort;
  /** "Pilots · Mirage 2000-5 conversion · 6 trainees" (a session number when a course has several). */
  label: string;
  audience: string;
  course: string;
  site: string;
  range: [number, number];
}

/** Cohorts in the order they start, each labelled for people (shared by the chart, the table and progress). */
export function cohortRows(
  cohorts: Cohort[],
  systems: System[] | undefined,
  courses: Course[] | undefined,
  sites: ReturnType<typeof useSites>,
): CohortRow[] {
  const sorted = [...cohorts].sort(
    (a, b) => a.start.localeCompare(b.start) || a.systemId.localeCompare(b.systemId),
  );
  const seen = new Map<string, number>();
  const total = new Map<string, number>();
  for (const c of sorted) {
    const k = `${c.groupId}|${c.courseId}`;
    total.set(k, (total.get(k) ?? 0) + 1);
  }
  return sorted.map((c) => {
    const system = systems?.find((s) => s.id === c.systemId);
    const course = courses?.find((x) => x.id === c.courseId)?.name ?? humanize(c.courseId);
    const audience = audienceOf(c.groupId, system);
    const k = `${c.groupId}|${c.courseId}`;
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    const session = (total.get(k) ?? 1) > 1 ? ` (session ${n} of ${total.get(k)})` : '';
    return {
      cohort: c,
      audience,
      course,
      site: sites?.find((x) => x.id === c.siteId)?.name ?? c.siteId,
      label: `${audience} · ${course}${session} · ${plural(c.trainees, 'trainee')}`,
      range: [dateMs(c.start), dateMs(c.end) + DAY],
    };
  });
}

/** True while the window is narrower than `px`: the chart's labels shrink on a phone. */
function useNarrow(px = 700): boolean {
  const [narrow, setNarrow] = useState(() => window.innerWidth < px);
  useEffect(() => {
    const on = () => setNarrow(window.innerWidth < px);
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, [px]);
  return narrow;
}

/**
 * The training plan: a Gantt chart (one bar per cohort over its session, each system's delivery deadline as a red
 * line) or the same as a table, what the plan cannot meet in words and numbers, and when crews are ready.
 */
export function TrainingGantt({
  plan,
  items,
  systems,
}: {
  plan: TrainingPlan | null | undefined;
  items: PledgeItem[];
  systems: System[] | undefined;
}) {
  const courses = useCourses();
  const sites = useSites();
  const narrow = useNarrow();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  if (!plan || !plan.cohorts.length) {
    return (
      <>
        <Empty>
          {plan
            ? 'The training plan has no cohorts.'
            : 'No training plan yet: it is made once the review has accepted the pledge.'}
        </Empty>
        {plan && <UnmetList plan={plan} systems={systems} courses={courses} />}
        {plan && <BelowMinimumList plan={plan} courses={courses} />}
      </>
    );
  }
  const rows = cohortRows(plan.cohorts, systems, courses, sites);
  // One deadline per system: the earliest start of its delivery windows.
  const deadlines = new Map<string, number>();
  for (const item of items) {
    const t = dateMs(item.deliveryWindow.from);
    const had = deadlines.get(item.systemId);
    if (had === undefined || t < had) deadlines.set(item.systemId, t);
  }
  const times = [...rows.flatMap((r) => r.range), ...deadlines.values()];
  const min = Math.min(...times) - 7 * DAY;
  const max = Math.max(...times) + 14 * DAY;
  const states = [...new Set(rows.map((r) => r.cohort.state))];

  return (
    <div className="gantt" data-testid="training-gantt">
      <p data-testid="plan-summary">
        <strong>
          {plan.traineesReadyByDeadline} of {plan.traineesNeeded}
        </strong>{' '}
        trainees can be ready by delivery, in {plural(plan.cohorts.length, 'cohort')}.
      </p>
      <ReadyBy plan={plan} systems={systems} deadlines={deadlines} />
      <UnmetList plan={plan} systems={systems} courses={courses} />
      <BelowMinimumList plan={plan} courses={courses} />
      <div className="view-switch" role="group" aria-label="Show the plan as">
        <button
          type="button"
          className={`btn btn-small ${view === 'chart' ? 'btn-primary' : 'btn-ghost'}`}
          aria-pressed={view === 'chart'}
          onClick={() => setView('chart')}
        >
          Chart
        </button>
        <button
          type="button"
          className={`btn btn-small ${view === 'table' ? 'btn-primary' : 'btn-ghost'}`}
          aria-pressed={view === 'table'}
          onClick={() => setView('table')}
          data-testid="gantt-table-view"
        >
          Table
        </button>
      </div>
      {view === 'chart' ? (
        <>
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
          <div
            style={{ width: '100%', height: 90 + rows.length * (narrow ? 44 : 34) }}
            role="img"
            aria-label={`Gantt chart of ${rows.length} training cohorts: ${rows.map((r) => `${r.label}, ${formatDate(r.cohort.start)} to ${formatDate(r.cohort.end)}`).join('; ')}`}
          >
            <ResponsiveContainer>
              <BarChart
                data={rows}
                layout="vertical"
                margin={{ top: 26, right: 16, bottom: 8, left: 4 }}
                barCategoryGap={6}
              >
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis
                  type="number"
                  dataKey="range"
                  domain={[min, max]}
                  scale="time"
                  tickFormatter={(t: number) => formatMonth(new Date(t).toISOString())}
                  tick={{ fontSize: 12 }}
                  minTickGap={24}
                />
                <YAxis
                  type="category"
                  dataKey="label"
                  width={narrow ? 120 : 330}
                  tick={{ fontSize: narrow ? 10 : 12 }}
                  interval={0}
                />
                <Tooltip
                  cursor={{ fill: 'rgba(0,0,0,0.04)' }}
                  content={({ active, payload }) => {
                    const row = active && payload?.[0] ? (payload[0].payload as CohortRow) : undefined;
                    if (!row) return null;
                    return (
                      <div className="chart-tooltip">
                        <strong>
                          {row.audience}: {row.course}
                        </strong>
                        <div>{systemName(systems, row.cohort.systemId)}</div>
                        <div>
                          {formatDate(row.cohort.start)} – {formatDate(row.cohort.end)}
                        </div>
                        <div>
                          {plural(row.cohort.trainees, 'trainee')} at {row.site}
                        </div>
                        <div>{stateWithOutcome(row.cohort)}</div>
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
        </>
      ) : (
        <div className="table-wrap" role="region" aria-label="Training cohorts" tabIndex={0}>
          <table className="table" data-testid="cohort-table">
            <thead>
              <tr>
                <th scope="col">Who</th>
                <th scope="col">Course</th>
                <th scope="col">Site</th>
                <th scope="col">Dates</th>
                <th scope="col" className="num">
                  Trainees
                </th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.cohort.id} data-testid="cohort-row" data-cohort-id={r.cohort.id}>
                  <td>
                    {r.audience}, {systemName(systems, r.cohort.systemId)}
                  </td>
                  <td>{r.course}</td>
                  <td>{r.site}</td>
                  <td>
                    {formatDate(r.cohort.start)} – {formatDate(r.cohort.end)}
                  </td>
                  <td className="num">{r.cohort.trainees}</td>
                  <td>{stateWithOutcome(r.cohort)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** When each system's crews are ready, against its delivery. */
function ReadyBy({
  plan,
  systems,
  deadlines,
}: {
  plan: TrainingPlan;
  systems: System[] | undefined;
  deadlines: Map<string, number>;
}) {
  const entries = Object.entries(plan.readyBy);
  if (!entries.length) return null;
  return (
    <ul className="ready-by">
      {entries.map(([systemId, date]) => {
        const deadline = deadlines.get(systemId);
        const late = date && deadline !== undefined && dateMs(date) > deadline;
        return (
          <li key={systemId} data-testid="ready-by">
            {systemName(systems, systemId)}:{' '}
            {date ? (
              <strong className={late ? 'text-bad' : 'text-good'}>
                every trainee ready by {formatDate(date)}, {late ? 'after' : 'before'} delivery
              </strong>
            ) : (
              <strong className="text-bad">not every trainee can be trained; see below</strong>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** A deadline's label above the plot, ending at its line, so it is neither clipped nor over a bar. */
function deadlineLabel(text: string) {
  const DeadlineLabel = (props: { viewBox?: { x?: number; y?: number } }) => (
    <text
      x={(props.viewBox?.x ?? 0) + 4}
      y={(props.viewBox?.y ?? 0) - 8}
      textAnchor="end"
      fill="#b3261e"
      fontSize={12}
      fontWeight={600}
    >
      {text}
    </text>
  );
  return DeadlineLabel;
}

/** "Aviation English on 28 Dec 2026": a session by its course and start. */
const sessionOn = (course: string, start: string) => `${course} on ${formatDate(start)}`;

/** One unmet reason in plain words, with the numbers that show it. */
export function unmetSentence(
  u: Unmet,
  systems: System[] | undefined,
  courses: Course[] | undefined,
): string {
  const system = systems?.find((s) => s.id === u.systemId);
  const who = audienceOf(u.groupId, system).toLowerCase();
  const courseName = (id: string) => courses?.find((c) => c.id === id)?.name ?? humanize(id);
  const n = `${u.trainees} ${u.trainees === 1 ? who.replace(/s$/, '') : who} for ${systemName(systems, u.systemId)}`;
  switch (u.reason) {
    case 'no_seats': {
      const course = courseName(u.courseId);
      if (!u.sessions.length)
        return `${n} find no seat in “${course}”: no session of it is offered when they could take it.`;
      const sessions = u.sessions
        .map((s) => `${formatDate(s.start)}: ${plural(s.free, 'seat')} free, ${s.planned} used by this plan`)
        .join('; ');
      return `${n} find no seat in “${course}”: ${u.trainees} more needed, and the sessions they could take are full (${sessions}).`;
    }
    case 'prerequisite_too_late':
      return (
        `${n} cannot take “${courseName(u.courseId)}” after “${courseName(u.prerequisiteId)}”: ` +
        `the earliest they could start is ${formatDate(u.earliestStart)}, but its last session starts on ${formatDate(u.lastSessionStart)}.`
      );
    case 'after_deadline':
      return `${n} are trained only after delivery: the first of them is ready on ${formatDate(u.earliestReady)}, delivery is on ${formatDate(u.deadline)}.`;
    case 'below_session_minimum_at_cutoff': {
      const course = courseName(u.courseId);
      const sessions = u.sessions
        .map(
          (s) =>
            `${sessionOn(course, s.start)} has ${s.reserved} of its minimum ${s.minimum}, and its cutoff was ${formatDate(s.cutoff)}`,
        )
        .join('; ');
      return `${n} cannot join “${course}”: the only session that would let them through is below its minimum past its cutoff (${sessions}).`;
    }
  }
}

function UnmetList({
  plan,
  systems,
  courses,
}: {
  plan: TrainingPlan;
  systems: System[] | undefined;
  courses: Course[] | undefined;
}) {
  if (!plan.unmet.length) return null;
  const total = plan.unmet.reduce((n, u) => n + u.trainees, 0);
  return (
    <div className="alert alert-warning" data-testid="unmet">
      <strong>What the plan cannot meet: {plural(total, 'trainee')}</strong>
      <ul>
        {plan.unmet.map((u, i) => (
          <li key={i} data-reason={u.reason}>
            {unmetSentence(u, systems, courses)}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Sessions of the plan that do not reach their minimum with every pledge counted: they may not run. */
function BelowMinimumList({ plan, courses }: { plan: TrainingPlan; courses: Course[] | undefined }) {
  if (!plan.sessionsBelowMinimum.length) return null;
  return (
    <div className="alert alert-warning" data-testid="below-minimum">
      <strong>
        {plural(plan.sessionsBelowMinimum.length, 'session')} below the course minimum: they run only if more
        trainees join by the cutoff
      </strong>
      <ul>
        {plan.sessionsBelowMinimum.map((s) => {
          const course = courses?.find((c) => c.id === s.courseId)?.name ?? humanize(s.courseId);
          const others = s.reserved ? ` and ${s.reserved} from other pledges` : '';
          return (
            <li key={s.sessionId}>
              {sessionOn(course, s.start)}: {s.planned} from this pledge{others}, {s.planned + s.reserved} of
              its minimum {s.minimum}; it must reach it by {formatDate(s.cutoff)}.
            </li>
          );
        })}
      </ul>
    </div>
  );
}
