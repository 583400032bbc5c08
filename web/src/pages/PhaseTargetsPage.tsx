import { useState } from 'react';
import { Link } from 'react-router';
import { engine, ok } from '../api/client';
import { useApi } from '../api/use-api';
import { DownloadButton } from '../components/DownloadButton';
import { Empty, ErrorBox, Loading, PageTitle, Section, When } from '../components/common';
import { formatDate } from '../lib/format';
import { phaseLabel } from '../lib/labels';

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY_MS = 24 * 3600 * 1000;

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)} %`);
const daysText = (days: number | null) => (days === null ? '—' : `${days.toLocaleString('en-GB')} d`);

/** Phase time targets: the share of pledges that met each, median and p90 per phase, and who is over target now. */
export function PhaseTargetsPage() {
  const [period, setPeriod] = useState(() => ({
    from: isoDay(Date.now() - 89 * DAY_MS),
    to: isoDay(Date.now()),
  }));
  const report = useApi(
    (signal) => ok(engine.GET('/api/v1/reports/phase-targets', { params: { query: period }, signal })),
    [period.from, period.to],
  );
  return (
    <>
      <PageTitle
        actions={
          <DownloadButton
            label="Export CSV"
            busyLabel="Exporting…"
            filename={`phase-targets-${period.from}-${period.to}.csv`}
            fetchFile={() =>
              ok(
                engine.GET('/api/v1/reports/phase-targets.csv', {
                  params: { query: period },
                  parseAs: 'blob',
                }),
              )
            }
            testId="export-csv"
          />
        }
      >
        Phase time targets
      </PageTitle>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Period">
        <label>
          From{' '}
          <input
            type="date"
            value={period.from}
            max={period.to}
            onChange={(e) => e.target.value && setPeriod((p) => ({ ...p, from: e.target.value }))}
            data-testid="period-from"
          />
        </label>
        <label>
          To{' '}
          <input
            type="date"
            value={period.to}
            min={period.from}
            onChange={(e) => e.target.value && setPeriod((p) => ({ ...p, to: e.target.value }))}
            data-testid="period-to"
          />
        </label>
      </form>
      {report.error && <ErrorBox error={report.error} />}
      {!report.data && !report.error && <Loading what="Computing the figures" />}
      {report.data && (
        <>
          <Section
            id="phase-figures"
            title={`Completed ${formatDate(period.from)} – ${formatDate(period.to)}`}
          >
            <p className="muted">
              Each stretch of a phase that ended in the period counts once (a pledge reviewed twice counts
              twice); policy version {report.data.policyVersion}.
            </p>
            <div className="table-wrap" role="region" aria-label="Figures per phase" tabIndex={0}>
              <table className="table" data-testid="phase-figures">
                <thead>
                  <tr>
                    <th scope="col">Phase</th>
                    <th scope="col" className="num">
                      Target
                    </th>
                    <th scope="col" className="num">
                      Completed
                    </th>
                    <th scope="col" className="num">
                      Met target
                    </th>
                    <th scope="col" className="num">
                      Median
                    </th>
                    <th scope="col" className="num">
                      p90
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {report.data.phases.map((p) => (
                    <tr key={p.phase} data-phase={p.phase}>
                      <th scope="row">{phaseLabel[p.phase]}</th>
                      <td className="num">
                        {p.targetDays === null ? 'delivery window' : daysText(p.targetDays)}
                      </td>
                      <td className="num">{p.completed}</td>
                      <td className="num" data-testid="share-met">
                        {percent(p.shareMet)}
                        {p.completed > 0 && (
                          <span className="muted">
                            {' '}
                            ({p.met} of {p.completed})
                          </span>
                        )}
                      </td>
                      <td className="num">{daysText(p.medianDays)}</td>
                      <td className="num">{daysText(p.p90Days)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>
          <Section id="over-target" title={`Over target now (${report.data.overTarget.length})`}>
            {report.data.overTarget.length === 0 ? (
              <Empty>No pledge is past the target of the phase it is in.</Empty>
            ) : (
              <div className="table-wrap" role="region" aria-label="Pledges over target" tabIndex={0}>
                <table className="table" data-testid="over-target">
                  <thead>
                    <tr>
                      <th scope="col">Pledge</th>
                      <th scope="col">Donor</th>
                      <th scope="col">Phase</th>
                      <th scope="col">Since</th>
                      <th scope="col">Due</th>
                      <th scope="col" className="num">
                        Over by
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.data.overTarget.map((o) => (
                      <tr key={`${o.pledgeId}:${o.phase}`}>
                        <td>
                          <Link to={`/pledges/${o.pledgeId}`}>{o.title}</Link>
                        </td>
                        <td>{o.donor}</td>
                        <td>{phaseLabel[o.phase]}</td>
                        <td>
                          <When iso={o.since} />
                        </td>
                        <td>{formatDate(o.dueBy)}</td>
                        <td className="num">{daysText(o.daysOver)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Section>
        </>
      )}
    </>
  );
}
