import { unfilledUrgent } from '@domain/requirements/coverage';
import { engine, ok } from '../../api/client';
import { useSystems } from '../../api/reference';
import { useApi } from '../../api/use-api';
import { Empty, ErrorBox, Loading, Section } from '../common';
import { RequirementCells, RequirementHeadCells } from './RequirementCells';

/** The dashboard's panel: Ukraine's open requirements of priority 1–2 that pledges do not yet fill, furthest short first. */
export function UnfilledUrgent() {
  const systems = useSystems();
  const loaded = useApi(
    (signal) =>
      ok(engine.GET('/api/v1/requirements', { params: { query: { status: 'open', limit: 200 } }, signal })),
    [],
  );
  const panel = loaded.data ? unfilledUrgent(loaded.data.items) : undefined;
  return (
    <Section id="unfilled-urgent" title="Ukraine's unfilled urgent requirements">
      {loaded.error && <ErrorBox error={loaded.error} />}
      {!panel && !loaded.error && <Loading what="Loading requirements" />}
      {panel && panel.length === 0 && <Empty>Every urgent requirement is pledged in full.</Empty>}
      {panel && panel.length > 0 && (
        <div className="table-wrap" role="region" aria-label="Unfilled urgent requirements" tabIndex={0}>
          <table className="table" data-testid="unfilled-urgent">
            <thead>
              <tr>
                <RequirementHeadCells />
                <th scope="col" className="num">
                  Pledged
                </th>
                <th scope="col" className="num">
                  Short
                </th>
              </tr>
            </thead>
            <tbody>
              {panel.map((r) => (
                <tr key={r.id} data-testid="unfilled-row" data-requirement-id={r.id}>
                  <RequirementCells requirement={r} systems={systems} />
                  <td className="num">
                    {r.coverage.pledged} of {r.coverage.required}
                  </td>
                  <td className="num" data-testid="shortfall">
                    {r.shortfall}
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
