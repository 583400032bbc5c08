import { Link } from 'react-router';
import { engine, ok } from '../api/client';
import { systemName, useSystems } from '../api/reference';
import type { LogisticsLot, System } from '../api/types';
import { useApi } from '../api/use-api';
import { Empty, ErrorBox, Loading, PageTitle, Section } from '../components/common';
import { formatDate } from '../lib/format';
import { lotStateLabel } from '../lib/labels';

/**
 * The delivery cell's day across every approved pledge it may see (a liaison: its own nation's): what is overdue,
 * what is due within 30 days, and what arrived this week, each lot linked to its pledge.
 */
export function LogisticsPage() {
  const systems = useSystems();
  const overview = useApi((signal) => ok(engine.GET('/api/v1/deliveries', { signal })), [], {
    pollMs: 30_000,
  });
  const data = overview.data;
  return (
    <div data-testid="logistics">
      <PageTitle>Logistics</PageTitle>
      {data && (
        <p className="subtitle">
          Delivery lots of approved pledges, as of {formatDate(data.today)}. Record a lot’s milestones on its
          pledge’s page.
        </p>
      )}
      {overview.error && <ErrorBox error={overview.error} />}
      {!data && !overview.error && <Loading what="Loading the deliveries" />}
      {data && (
        <>
          <LotTable
            id="lots-overdue"
            title="Overdue"
            lots={data.overdue}
            systems={systems}
            empty="No lot is overdue: every lot planned before today has been received."
          />
          <LotTable
            id="lots-due-soon"
            title="Due in the next 30 days"
            lots={data.dueSoon}
            systems={systems}
            empty="No lot is planned to be received in the next 30 days."
          />
          <LotTable
            id="lots-arrived"
            title="Arrived this week"
            lots={data.arrivedThisWeek}
            systems={systems}
            empty="No lot was received in the last 7 days."
          />
        </>
      )}
    </div>
  );
}

/** The lot's state with the day of its latest milestone: "Shipped on 2 Dec 2026". */
function stateText(lot: LogisticsLot): string {
  const last = lot.milestones[lot.milestones.length - 1];
  return last ? `${lotStateLabel[lot.state]} on ${formatDate(last.at)}` : lotStateLabel[lot.state];
}

/** Why the lot is late, in a few words, or a dash. */
function delayText(lot: LogisticsLot): string {
  if (!lot.delays.length) return '—';
  return lot.delays
    .map((d) =>
      d.kind === 'handed_over_late'
        ? `handed over after its window (${formatDate(d.dueOn)})`
        : `late since ${formatDate(d.dueOn)}${d.escalatedAt ? ', escalated' : ''}`,
    )
    .join('; ');
}

function LotTable({
  id,
  title,
  lots,
  systems,
  empty,
}: {
  id: string;
  title: string;
  lots: LogisticsLot[];
  systems: System[] | undefined;
  empty: string;
}) {
  return (
    <Section id={id} title={`${title} (${lots.length})`}>
      {lots.length === 0 ? (
        <Empty>{empty}</Empty>
      ) : (
        <div className="table-wrap" role="region" aria-label={title} tabIndex={0}>
          <table className="table lots-table" data-testid={id}>
            <thead>
              <tr>
                <th scope="col">Lot</th>
                <th scope="col">Pledge</th>
                <th scope="col">Donor</th>
                <th scope="col">System</th>
                <th scope="col" className="num">
                  Quantity
                </th>
                <th scope="col">Planned on</th>
                <th scope="col">State</th>
                <th scope="col">Delays</th>
              </tr>
            </thead>
            <tbody>
              {lots.map((lot) => (
                <tr
                  key={lot.id}
                  data-testid="logistics-lot"
                  data-lot-id={lot.id}
                  data-pledge-id={lot.pledge.id}
                  data-state={lot.state}
                  className={lot.delays.length && lot.state !== 'received' ? 'row-overdue' : undefined}
                >
                  <td className="mono lot-id">{lot.id}</td>
                  <td className="what">
                    <Link to={`/pledges/${encodeURIComponent(lot.pledge.id)}`}>{lot.pledge.title}</Link>
                  </td>
                  <td>{lot.pledge.donor}</td>
                  <td>{systemName(systems, lot.systemId)}</td>
                  <td className="num">{lot.quantity}</td>
                  <td className="day">{formatDate(lot.plannedOn)}</td>
                  <td className="day" data-testid="lot-state">
                    {stateText(lot)}
                  </td>
                  <td>{delayText(lot)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
