import { can } from '@domain/permissions';
import { delayText, traineeNoun } from '@domain/training/approval-impact-text';
import { Link } from 'react-router';
import { engine, ok } from '../../api/client';
import type { Pledge, System } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useAuth } from '../../auth/auth';
import { formatDate, plural } from '../../lib/format';
import { isPending } from '../../lib/labels';
import { ErrorBox, Loading, Section } from '../common';

/**
 * What approving the pledge would do to the other pending pledges' training: the engine's sentences, then the
 * trainee groups set back. It names other nations' pledges, so it is asked for only by those who may read the
 * training portfolio, and only while the pledge is pending (once approved its seats are held).
 */
export function ApprovalImpact({ pledge, systems }: { pledge: Pledge; systems: System[] | undefined }) {
  const { user } = useAuth();
  const shown = !!user && can(user, 'training:capacity') && isPending(pledge.status);
  const impact = useApi(
    shown
      ? (signal) =>
          ok(
            engine.GET('/api/v1/pledges/{id}/approval-impact', {
              params: { path: { id: pledge.id } },
              signal,
            }),
          )
      : null,
    [pledge.id, pledge.status, pledge.revision],
  );
  if (!shown) return null;
  const system = (id: string) => systems?.find((s) => s.id === id);
  const data = impact.data;
  return (
    <Section id="approval-impact" title="Effect on other pledges’ training">
      {impact.error && <ErrorBox error={impact.error} />}
      {!data && !impact.error && (
        <Loading what="Planning the other pending pledges with and without this one" />
      )}
      {data && (
        <>
          <ul data-testid="approval-impact-sentences">
            {data.sentences.map((sentence) => (
              <li key={sentence}>{sentence}.</li>
            ))}
          </ul>
          {data.affected.length > 0 && (
            <div
              className="table-wrap"
              role="region"
              aria-label="Pledges whose training is set back"
              tabIndex={0}
            >
              <table className="table" data-testid="approval-impact">
                <thead>
                  <tr>
                    <th scope="col">Pledge</th>
                    <th scope="col">Trainees</th>
                    <th scope="col">Ready without</th>
                    <th scope="col">Ready with</th>
                    <th scope="col" className="num">
                      Later by
                    </th>
                    <th scope="col" className="num">
                      No longer ready by delivery
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.affected.map((g) => (
                    <tr
                      key={`${g.pledgeId}|${g.systemId}|${g.audience}|${g.deadline}`}
                      data-pledge={g.pledgeId}
                      className={g.readyOnWith ? '' : 'row-failed'}
                    >
                      <th scope="row">
                        <Link to={`/pledges/${encodeURIComponent(g.pledgeId)}`}>{g.title}</Link>
                      </th>
                      <td>
                        {g.trainees} {system(g.systemId)?.name ?? g.systemId}{' '}
                        {traineeNoun(g.trainees, g.audience, system(g.systemId)?.category)}
                      </td>
                      <td>{g.readyOnWithout ? formatDate(g.readyOnWithout) : 'not all can be trained'}</td>
                      <td>{g.readyOnWith ? formatDate(g.readyOnWith) : 'no longer plannable'}</td>
                      <td className="num">
                        {g.delayDays !== null && g.delayDays > 0 ? delayText(g.delayDays) : '—'}
                      </td>
                      <td className="num">{g.lostByDeadline || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p className="muted small">
            Compared with {plural(data.pledgesCompared, 'other pending pledge')}, planned with and without
            this one against the seats held today
            {data.pledgesLeftOut.length > 0 &&
              ` (${plural(data.pledgesLeftOut.length, 'pledge')} left out: no longer in the reference data)`}
            .
          </p>
        </>
      )}
    </Section>
  );
}
