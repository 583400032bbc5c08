import { engine, ok } from '../../api/client';
import { useApi } from '../../api/use-api';
import { formatDate } from '../../lib/format';
import { phaseLabel } from '../../lib/labels';
import { ErrorBox, Loading, Section } from '../common';

const daysText = (days: number) => `${days.toLocaleString('en-GB')} d`;

/** The pledge's time in every phase against its target, from its status transitions. */
export function PhaseTimes({ pledgeId, revision }: { pledgeId: string; revision: string }) {
  const times = useApi(
    (signal) =>
      ok(engine.GET('/api/v1/pledges/{id}/phase-times', { params: { path: { id: pledgeId } }, signal })),
    [pledgeId, revision],
  );
  return (
    <Section id="phase-times" title="Time against targets">
      {times.error && <ErrorBox error={times.error} />}
      {!times.data && !times.error && <Loading what="Measuring" />}
      {times.data && (
        <div className="table-wrap">
          <table className="table" data-testid="phase-times">
            <thead>
              <tr>
                <th scope="col">Phase</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col" className="num">
                  Took
                </th>
                <th scope="col" className="num">
                  Allowed
                </th>
                <th scope="col">Against target</th>
              </tr>
            </thead>
            <tbody>
              {times.data.phases.map((p) => (
                <tr key={`${p.phase}:${p.start}`} data-phase={p.phase} data-over={p.overTarget}>
                  <th scope="row">{phaseLabel[p.phase]}</th>
                  <td>{formatDate(p.start)}</td>
                  <td>{p.end ? formatDate(p.end) : p.state === 'open' ? 'now' : '—'}</td>
                  <td className="num">{daysText(p.days)}</td>
                  <td className="num">{daysText(p.targetDays)}</td>
                  <td>
                    {p.state === 'abandoned'
                      ? 'ended without a decision'
                      : p.overTarget
                        ? p.state === 'open'
                          ? `over target (due ${formatDate(p.dueBy)})`
                          : 'missed'
                        : p.state === 'open'
                          ? `on time (due ${formatDate(p.dueBy)})`
                          : 'met'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
