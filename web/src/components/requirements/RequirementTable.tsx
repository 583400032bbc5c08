import type { Requirement, System } from '../../api/types';
import { RequirementCells, RequirementHeadCells } from './RequirementCells';

/** Requirements, most urgent first as the API lists them, each with how far pledges cover it. */
export function RequirementTable({
  requirements,
  systems,
  label,
  detail = false,
}: {
  requirements: Requirement[];
  systems: System[] | undefined;
  /** The region's accessible name. */
  label: string;
  /** Show each justification under its requirement. */
  detail?: boolean;
}) {
  return (
    <div className="card table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table className="table" data-testid="requirement-table">
        <thead>
          <tr>
            <RequirementHeadCells />
            <th scope="col" className="num">
              Required
            </th>
            <th scope="col" className="num">
              Pledged
            </th>
            <th scope="col" className="num">
              Approved
            </th>
            <th scope="col" className="num">
              Ready
            </th>
          </tr>
        </thead>
        <tbody>
          {requirements.map((r) => (
            <tr key={r.id} data-testid="requirement-row" data-requirement-id={r.id}>
              <RequirementCells requirement={r} systems={systems} detail={detail} />
              <td className="num">{r.coverage.required}</td>
              <td className="num">{r.coverage.pledged}</td>
              <td className="num">{r.coverage.approved}</td>
              <td className="num">{r.coverage.ready}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
