import { useMemo, useState } from 'react';
import { useSystems } from '../api/reference';
import { Empty, Loading, PageTitle, Section } from '../components/common';
import { categoryText } from '../lib/labels';

/** The systems catalogue with the ids a CSV import (and the API) names systems by. */
export function SystemsPage() {
  const systems = useSystems();
  const [q, setQ] = useState('');
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (systems ?? []).filter(
      (s) =>
        !needle ||
        `${s.id} ${s.name} ${s.family} ${s.category} ${categoryText(s.category)} ${s.origin}`
          .toLowerCase()
          .includes(needle),
    );
  }, [systems, q]);
  return (
    <>
      <PageTitle>Systems and their ids</PageTitle>
      <Section id="systems" title="The catalogue">
        <p className="muted">
          A CSV import names each system by its id (the <span className="mono">systemId</span> column).
        </p>
        <div className="field">
          <label htmlFor="systems-q">Find a system</label>
          <input id="systems-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        {!systems && <Loading what="Loading the catalogue" />}
        {systems && shown.length === 0 && <Empty>No system matches “{q}”.</Empty>}
        {shown.length > 0 && (
          <div className="table-wrap" role="region" aria-label="Systems" tabIndex={0}>
            <table className="table" data-testid="systems-table">
              <thead>
                <tr>
                  <th scope="col">Id</th>
                  <th scope="col">Name</th>
                  <th scope="col">Family</th>
                  <th scope="col">Category</th>
                  <th scope="col">Origin</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((s) => (
                  <tr key={s.id} data-testid="system-row">
                    <td className="mono">{s.id}</td>
                    <td>{s.name}</td>
                    <td>{s.family}</td>
                    <td>{categoryText(s.category)}</td>
                    <td>{s.origin}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </>
  );
}
