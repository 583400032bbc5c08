import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { PledgeStatuses } from '@domain/schemas/pledge';
import { CoalitionId } from '@domain/schemas/reference';
import { engine, messageOf, ok } from '../api/client';
import type { PledgeSummary } from '../api/types';
import { ExportButton, type ExportQuery } from '../components/ExportButton';
import { Empty, ErrorBox, Loading, PageTitle, StatusBadge, When } from '../components/common';
import { plural } from '../lib/format';
import { coalitionText, stageText, statusLabel } from '../lib/labels';

const PAGE_SIZE = 25;

/** Pledges with filters (status, donor, coalition), free-text search and cursor paging. */
export function PledgeListPage() {
  const [params, setParams] = useSearchParams();
  const filters = {
    status: params.get('status') ?? '',
    donor: params.get('donor') ?? '',
    coalition: params.get('coalition') ?? '',
    q: params.get('q') ?? '',
  };
  const [q, setQ] = useState(filters.q);
  const [donor, setDonor] = useState(filters.donor);
  // The filters as the API takes them: empty ones are left out, a status the URL misspells is ignored.
  const query: ExportQuery = {
    status: PledgeStatuses.find((s) => s === filters.status),
    donor: filters.donor || undefined,
    coalition: filters.coalition || undefined,
    q: filters.q || undefined,
  };
  const [items, setItems] = useState<PledgeSummary[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [loadingMore, setLoadingMore] = useState(false);
  const key = JSON.stringify(filters);

  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  // Free text and donor are applied after a pause in typing, not on every key.
  useEffect(() => {
    const t = setTimeout(() => q !== filters.q && set('q', q.trim()), 300);
    return () => clearTimeout(t);
  }, [q]);
  useEffect(() => {
    const d = donor.trim().toUpperCase();
    if (d !== filters.donor && (d.length === 0 || d.length === 3)) set('donor', d);
  }, [donor]);

  useEffect(() => {
    let live = true;
    setItems(undefined);
    setError(undefined);
    ok(engine.GET('/api/v1/pledges', { params: { query: { ...query, limit: PAGE_SIZE } } }))
      .then((page) => {
        if (!live) return;
        setItems(page.items);
        setCursor(page.nextCursor);
      })
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [key]);

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await ok(
        engine.GET('/api/v1/pledges', { params: { query: { ...query, limit: PAGE_SIZE, cursor } } }),
      );
      setItems((prev) => [...(prev ?? []), ...page.items]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <>
      <PageTitle actions={<ExportButton query={query} />}>Pledges</PageTitle>
      <form
        className="filters card"
        role="search"
        aria-label="Filter pledges"
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="field grow">
          <label htmlFor="p-q">Search</label>
          <input
            id="p-q"
            type="search"
            placeholder="Id, system, family, donor…"
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="p-status">Status</label>
          <select id="p-status" value={filters.status} onChange={(e) => set('status', e.target.value)}>
            <option value="">Any status</option>
            {PledgeStatuses.map((s) => (
              <option key={s} value={s}>
                {statusLabel[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field narrow">
          <label htmlFor="p-donor">Donor</label>
          <input
            id="p-donor"
            placeholder="e.g. FRA"
            maxLength={3}
            value={donor}
            onChange={(e) => setDonor(e.target.value.toUpperCase())}
          />
        </div>
        <div className="field">
          <label htmlFor="p-coalition">Coalition</label>
          <select
            id="p-coalition"
            value={filters.coalition}
            onChange={(e) => set('coalition', e.target.value)}
          >
            <option value="">Any coalition</option>
            {CoalitionId.options.map((c) => (
              <option key={c} value={c}>
                {coalitionText(c)}
              </option>
            ))}
          </select>
        </div>
      </form>
      {error !== undefined && <ErrorBox error={error} />}
      {!items && error === undefined && <Loading what="Loading pledges" />}
      {items && items.length === 0 && <Empty>No pledge matches these filters.</Empty>}
      {items && items.length > 0 && (
        <div className="card table-wrap" role="region" aria-label="Pledges" tabIndex={0}>
          <table className="table" data-testid="pledge-table">
            <thead>
              <tr>
                <th scope="col">Pledge</th>
                <th scope="col">Status</th>
                <th scope="col">Review</th>
                <th scope="col">Coalitions</th>
                <th scope="col">Submitted</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id} data-testid="pledge-row" data-pledge-id={p.id}>
                  <td className="what">
                    <Link to={`/pledges/${encodeURIComponent(p.id)}`}>{p.title}</Link>
                    <div className="muted small mono">{p.id}</div>
                  </td>
                  <td>
                    <StatusBadge status={p.status} />
                    {/* In training, yet its crews are done: what it waits for is the equipment. */}
                    {p.stage === 'awaiting_delivery' && (
                      <div className="muted small" data-testid="pledge-stage">
                        {stageText(p.stage)}
                      </div>
                    )}
                  </td>
                  <td data-testid="pledge-review">
                    <ReviewCounts review={p.review} />
                  </td>
                  <td>{p.coalitions.map(coalitionText).join(', ')}</td>
                  <td>
                    <When iso={p.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="paging">
            <span className="muted">{items.length} shown</span>
            {cursor && (
              <button
                type="button"
                className="btn"
                onClick={() => void loadMore()}
                disabled={loadingMore}
                data-testid="load-more"
              >
                {loadingMore ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
        </div>
      )}
    </>
  );
}

/** What the review found, counted: the blockers and warnings a staff officer scans the list for. */
function ReviewCounts({ review }: { review: PledgeSummary['review'] }) {
  if (!review) return <span className="muted">Not reviewed yet</span>;
  const { blocker, warning } = review.findingCounts;
  if (blocker === 0 && warning === 0) return <span className="muted">No blocker or warning</span>;
  return (
    <span>
      {[blocker > 0 && plural(blocker, 'blocker'), warning > 0 && plural(warning, 'warning')]
        .filter(Boolean)
        .join(', ')}
    </span>
  );
}
