import { Link, useNavigate, useParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { engine, ok } from '../api/client';
import type { Agreement } from '../api/types';
import { useApi } from '../api/use-api';
import { useAuth } from '../auth/auth';
import { Chart } from '../components/Chart';
import { Empty, ErrorBox, Loading, PageTitle, Section } from '../components/common';
import { mayWriteAgreement } from '../lib/agreements';
import { formatDate, formatEur, humanize } from '../lib/format';

const colours = { committed: '#4c5b70', approved: '#1f7a3a' };
const billions = (v: number) => `€${(v / 1e9).toLocaleString('en-GB', { maximumFractionDigits: 1 })}bn`;

/** Bilateral security agreements (a liaison sees its own nation's). */
export function AgreementsPage() {
  const { user } = useAuth();
  const navigate = useNavigate();
  const list = useApi(
    (signal) => ok(engine.GET('/api/v1/agreements', { params: { query: { limit: 200 } }, signal })),
    [],
  );
  return (
    <>
      <PageTitle
        actions={
          mayWriteAgreement(user) && (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => void navigate('/agreements/new')}
            >
              Record an agreement
            </button>
          )
        }
      >
        Bilateral security agreements
      </PageTitle>
      {list.error && <ErrorBox error={list.error} />}
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.items.length === 0 && <Empty>No agreement recorded.</Empty>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap" role="region" aria-label="Agreements" tabIndex={0}>
          <table className="table" data-testid="agreement-table">
            <thead>
              <tr>
                <th scope="col">Agreement</th>
                <th scope="col">Donor</th>
                <th scope="col">Signed</th>
                <th scope="col">Term</th>
                <th scope="col">Committed (public)</th>
                <th scope="col">Approved</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link to={`/agreements/${a.id}`}>{a.title}</Link>
                  </td>
                  <td>{a.donor}</td>
                  <td>{formatDate(a.signedOn)}</td>
                  <td>{a.termYears} years</td>
                  <td>{formatEur(a.total.committedEur)}</td>
                  <td>{formatEur(a.total.approvedEur)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** The years worth charting: those with a public commitment or something approved. */
const chartedYears = (a: Agreement) =>
  a.fulfilment
    .filter((y) => y.committedEur !== null || y.approvedEur > 0)
    .map((y) => ({ year: String(y.year), committed: y.committedEur ?? 0, approved: y.approvedEur }));

/** One agreement: its commitments against the value of the donor's approved pledges, year by year. */
export function AgreementPage() {
  const { id = '' } = useParams();
  const { user } = useAuth();
  const page = useApi(
    (signal) => ok(engine.GET('/api/v1/agreements/{id}', { params: { path: { id } }, signal })),
    [id],
  );
  if (page.error) return <ErrorBox error={page.error} />;
  if (!page.data) return <Loading />;
  const a = page.data;
  const years = chartedYears(a);
  return (
    <>
      <PageTitle
        actions={
          mayWriteAgreement(user, a.donor) && (
            <Link className="btn" to={`/agreements/${encodeURIComponent(a.id)}/edit`}>
              Edit
            </Link>
          )
        }
      >
        {a.title}
      </PageTitle>
      <p className="muted">
        {a.donor} · signed {formatDate(a.signedOn)} · {a.termYears} years · {humanize(a.status)}
        {a.sourceUrl && (
          <>
            {' · '}
            <a href={a.sourceUrl} rel="noreferrer noopener" target="_blank">
              Public text
            </a>
          </>
        )}
      </p>
      <Section id="fulfilment-chart" title="Commitment and approved pledges by year">
        {years.length === 0 ? (
          <Empty>No public commitment and nothing approved yet.</Empty>
        ) : (
          <Chart
            height={280}
            label={`Bar chart: ${years
              .map((y) => `${y.year}: committed ${formatEur(y.committed)}, approved ${formatEur(y.approved)}`)
              .join('; ')}`}
          >
            <BarChart data={years} margin={{ left: 16, right: 16 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="year" />
              <YAxis tickFormatter={billions} width={70} />
              <Tooltip formatter={(v) => formatEur(Number(v))} />
              <Legend formatter={(v: string) => <span style={{ color: '#1b2430' }}>{v}</span>} />
              <Bar dataKey="committed" name="Committed" fill={colours.committed} isAnimationActive={false} />
              <Bar dataKey="approved" name="Approved" fill={colours.approved} isAnimationActive={false} />
            </BarChart>
          </Chart>
        )}
      </Section>
      <Section id="fulfilment" title="Fulfilment">
        <div className="table-wrap" role="region" aria-label="Fulfilment by year" tabIndex={0}>
          <table className="table" data-testid="agreement-fulfilment">
            <thead>
              <tr>
                <th scope="col">Year</th>
                <th scope="col">Committed</th>
                <th scope="col">Approved</th>
                <th scope="col">Share</th>
              </tr>
            </thead>
            <tbody>
              {a.fulfilment.map((y) => (
                <tr key={y.year}>
                  <td>{y.year}</td>
                  <td>{y.committedEur === null ? 'Not public' : formatEur(y.committedEur)}</td>
                  <td>
                    {formatEur(y.approvedEur)} ({y.approvedPledges})
                  </td>
                  <td>
                    {y.shareOfCommitment === null ? '—' : `${Math.round(y.shareOfCommitment * 100)} %`}
                    {a.alertedYears.includes(y.year) && ' · behind at mid-year'}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                <td>{formatEur(a.total.committedEur)}</td>
                <td>{formatEur(a.total.approvedEur)}</td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      </Section>
    </>
  );
}
