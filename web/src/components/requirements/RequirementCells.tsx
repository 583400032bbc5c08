import { Link } from 'react-router';
import type { Requirement, System } from '../../api/types';
import { formatDate } from '../../lib/format';
import { capabilityText, priorityText } from '../../lib/requirements';

/** The first columns of every table of requirements: what, how urgent, by when. */
export function RequirementHeadCells() {
  return (
    <>
      <th scope="col">Requirement</th>
      <th scope="col">Priority</th>
      <th scope="col">Needed by</th>
    </>
  );
}

export function RequirementCells({
  requirement: r,
  systems,
  detail = false,
}: {
  requirement: Requirement;
  systems: System[] | undefined;
  /** Show the justification under the name. */
  detail?: boolean;
}) {
  return (
    <>
      <td className="what">
        <Link to={`/requirements/${encodeURIComponent(r.id)}`}>{capabilityText(r.capability, systems)}</Link>
        {detail && <div className="muted small">{r.justification}</div>}
      </td>
      <td>{priorityText(r.priority)}</td>
      <td>{formatDate(r.neededBy)}</td>
    </>
  );
}
