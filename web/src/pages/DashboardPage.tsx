import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Bar, BarChart, CartesianGrid, Cell, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { can } from '@domain/permissions';
import { engine, ok } from '../api/client';
import type { Task } from '../api/types';
import { useAuth } from '../auth/auth';
import { Chart } from '../components/Chart';
import { Empty, ErrorBox, Loading, PageTitle, Section } from '../components/common';
import { UnfilledUrgent } from '../components/requirements/UnfilledUrgent';
import {
  labelledCoalitions,
  labelledCoverage,
  labelledFamilies,
  labelledStatuses,
  overdueTasks,
  type Dashboard,
} from '../lib/dashboard';
import { relativeTime } from '../lib/format';
import { kindLabel, statusTone } from '../lib/labels';

const colours = {
  approved: '#1f7a3a',
  pending: '#2f6fbf',
  closed: '#8a94a3',
  gap: '#dde2e8',
  inService: '#4c5b70',
  newPledged: '#c2410c',
};
/** Legend labels in the text colour (recharts colours them like their series, unreadable for light ones). */
const legendText = (value: string) => <span style={{ color: '#1b2430' }}>{value}</span>;
const toneColour = {
  good: '#1f7a3a',
  progress: '#2f6fbf',
  attention: '#b86e00',
  bad: '#b3261e',
  neutral: '#8a94a3',
};

interface Data {
  figures: Dashboard;
  /** Open tasks, or null for a reader without tasks (the delivery cell). */
  tasks: Task[] | null;
}

async function loadData(withTasks: boolean): Promise<Data> {
  const [figures, tasks] = await Promise.all([
    ok(engine.GET('/api/v1/dashboard')),
    withTasks
      ? ok(engine.GET('/api/v1/tasks', { params: { query: { state: 'open', limit: 200 } } }))
      : Promise.resolve(null),
  ]);
  return { figures, tasks: tasks?.items ?? null };
}

/** Pledges by status and coalition, coverage of needs, fleet fragmentation and overdue tasks. */
export function DashboardPage() {
  const { user } = useAuth();
  const withTasks = !!user && can(user, 'task:read');
  const withRequirements = !!user && can(user, 'requirement:read');
  const [data, setData] = useState<Data>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let live = true;
    loadData(withTasks)
      .then((d) => live && setData(d))
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [withTasks]);

  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading what="Loading the dashboard" />;

  const status = labelledStatuses(data.figures);
  const coalitions = labelledCoalitions(data.figures);
  const coverage = labelledCoverage(data.figures);
  const families = labelledFamilies(data.figures);
  const overdue = data.tasks ? overdueTasks(data.tasks) : null;

  return (
    <div data-testid="dashboard">
      <PageTitle>Dashboard</PageTitle>
      <div className="kpis">
        <Kpi label="Pledges" value={data.figures.pledges} testId="kpi-pledges" />
        <Kpi label="Approved or in training" value={data.figures.approved} />
        {data.tasks && overdue && (
          <>
            <Kpi label="Open tasks" value={data.tasks.length} />
            <Kpi
              label="Overdue tasks"
              value={overdue.length}
              tone={overdue.length ? 'bad' : undefined}
              testId="kpi-overdue"
            />
          </>
        )}
      </div>
      {withRequirements && <UnfilledUrgent />}
      <div className="dash-grid">
        <Section id="by-status" title="Pledges by status">
          {status.length === 0 ? (
            <Empty>No pledges yet.</Empty>
          ) : (
            <Chart
              height={Math.max(160, status.length * 34 + 40)}
              label={`Bar chart: ${status.map((s) => `${s.label} ${s.count}`).join(', ')}`}
            >
              <BarChart data={status} layout="vertical" margin={{ left: 8, right: 24 }}>
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" allowDecimals={false} />
                <YAxis type="category" dataKey="label" width={150} tick={{ fontSize: 12 }} />
                <Tooltip />
                <Bar dataKey="count" name="Pledges" isAnimationActive={false} maxBarSize={28}>
                  {status.map((s) => (
                    <Cell key={s.status} fill={toneColour[statusTone(s.status)]} />
                  ))}
                </Bar>
              </BarChart>
            </Chart>
          )}
        </Section>
        <Section id="by-coalition" title="Pledges by capability coalition">
          {coalitions.length === 0 ? (
            <Empty>No pledges yet.</Empty>
          ) : (
            <Chart
              height={Math.max(160, coalitions.length * 38 + 60)}
              label={`Bar chart: ${coalitions.map((c) => `${c.label} ${c.approved} approved, ${c.pending} pending`).join('; ')}`}
            >
              <BarChart data={coalitions} layout="vertical" margin={{ left: 8, right: 24 }}>
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" allowDecimals={false} />
                <YAxis type="category" dataKey="label" width={150} tick={{ fontSize: 12 }} />
                <Tooltip />
                <Legend formatter={legendText} />
                <Bar
                  dataKey="approved"
                  name="Approved"
                  stackId="a"
                  fill={colours.approved}
                  isAnimationActive={false}
                  maxBarSize={28}
                />
                <Bar
                  dataKey="pending"
                  name="Pending"
                  stackId="a"
                  fill={colours.pending}
                  isAnimationActive={false}
                  maxBarSize={28}
                />
                <Bar
                  dataKey="closed"
                  name="Rejected or withdrawn"
                  stackId="a"
                  fill={colours.closed}
                  isAnimationActive={false}
                  maxBarSize={28}
                />
              </BarChart>
            </Chart>
          )}
        </Section>
        <Section id="coverage" title="Coverage of Ukraine's open needs">
          {coverage.length === 0 ? (
            <Empty>No open needs are recorded.</Empty>
          ) : (
            <>
              <p className="muted small">
                Share of each need met by approved and pending pledges, most urgent (P1) first. Hover for
                units.
              </p>
              <Chart
                height={Math.max(180, coverage.length * 34 + 60)}
                label={`Stacked bar chart of need coverage: ${coverage.map((c) => `${c.label}: ${c.approved} approved, ${c.pending} pending of ${c.quantity}`).join('; ')}`}
              >
                <BarChart
                  data={coverage}
                  layout="vertical"
                  margin={{ left: 8, right: 24 }}
                  barCategoryGap={6}
                >
                  <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                  <XAxis
                    type="number"
                    domain={[0, 100]}
                    ticks={[0, 25, 50, 75, 100]}
                    tickFormatter={(v: number) => `${v}%`}
                  />
                  <YAxis type="category" dataKey="label" width={170} tick={{ fontSize: 12 }} interval={0} />
                  <Tooltip
                    labelFormatter={(_, payload) =>
                      (payload?.[0]?.payload as { description?: string } | undefined)?.description ?? ''
                    }
                    formatter={(value, name, item) => {
                      const row = item.payload as {
                        approved: number;
                        pending: number;
                        gap: number;
                        quantity: number;
                      };
                      const units =
                        name === 'Approved' ? row.approved : name === 'Pending' ? row.pending : row.gap;
                      return [`${units} of ${row.quantity} (${String(value)}%)`, name];
                    }}
                  />
                  <Legend formatter={legendText} />
                  <Bar
                    dataKey="approvedPct"
                    name="Approved"
                    stackId="n"
                    fill={colours.approved}
                    isAnimationActive={false}
                  />
                  <Bar
                    dataKey="pendingPct"
                    name="Pending"
                    stackId="n"
                    fill={colours.pending}
                    isAnimationActive={false}
                  />
                  <Bar
                    dataKey="gapPct"
                    name="Not yet pledged"
                    stackId="n"
                    fill={colours.gap}
                    stroke="#aab4c1"
                    isAnimationActive={false}
                  />
                </BarChart>
              </Chart>
            </>
          )}
        </Section>
        <Section id="fragmentation" title="Families per category: in service and pledged">
          {families.length === 0 ? (
            <Empty>No inventory recorded.</Empty>
          ) : (
            <>
              <p className="muted small">
                Each new family means more training, spare parts and maintenance lines. Orange: families open
                or approved pledges would add.
              </p>
              <Chart
                height={Math.max(180, families.length * 34 + 60)}
                label={`Stacked bar chart of families per category: ${families.map((f) => `${f.label}: ${f.inService} in service, ${f.newPledged} new pledged (${f.newFamilies.join(', ')})`).join('; ')}`}
              >
                <BarChart data={families} layout="vertical" margin={{ left: 8, right: 24 }}>
                  <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                  <XAxis type="number" allowDecimals={false} />
                  <YAxis type="category" dataKey="label" width={170} tick={{ fontSize: 12 }} interval={0} />
                  <Tooltip
                    formatter={(value, name, item) => {
                      const row = item.payload as { inServiceFamilies: string[]; newFamilies: string[] };
                      const names = name === 'In service' ? row.inServiceFamilies : row.newFamilies;
                      return [`${String(value)}${names.length ? ` (${names.join(', ')})` : ''}`, name];
                    }}
                  />
                  <Legend formatter={legendText} />
                  <Bar
                    dataKey="inService"
                    name="In service"
                    stackId="f"
                    fill={colours.inService}
                    isAnimationActive={false}
                  />
                  <Bar
                    dataKey="newPledged"
                    name="New, pledged"
                    stackId="f"
                    fill={colours.newPledged}
                    isAnimationActive={false}
                  />
                </BarChart>
              </Chart>
            </>
          )}
        </Section>
      </div>
      {overdue && (
        <Section id="overdue" title={`Overdue tasks (${overdue.length})`}>
          {overdue.length === 0 ? (
            <Empty>Nothing is overdue.</Empty>
          ) : (
            <ul className="plain-list" data-testid="overdue-tasks">
              {overdue.slice(0, 20).map((t) => (
                <li key={t.id}>
                  <Link to={`/tasks/${encodeURIComponent(t.id)}`}>{t.title ?? kindLabel[t.kind]}</Link>{' '}
                  <span className="muted small">
                    due {relativeTime(t.dueAt)} · {t.assignee ?? 'unclaimed'}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Section>
      )}
    </div>
  );
}

function Kpi({
  label,
  value,
  tone,
  testId,
}: {
  label: string;
  value: number;
  tone?: 'bad';
  testId?: string;
}) {
  return (
    <div className={`kpi ${tone ? `kpi-${tone}` : ''}`} data-testid={testId}>
      <span className="kpi-value">{value}</span>
      <span className="kpi-label">{label}</span>
    </div>
  );
}
