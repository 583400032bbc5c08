import { systemName } from '../../api/reference';
import type { Pledge, System } from '../../api/types';
import { formatDate, formatEur } from '../../lib/format';
import { categoryText, coalitionText, stageText } from '../../lib/labels';
import { StatusBadge, When } from '../common';

/** Status, stage and the facts of a pledge: donor, value, support offered, who submitted it. */
export function PledgeFacts({ pledge }: { pledge: Pledge }) {
  return (
    <dl className="facts" data-testid="pledge-facts">
      <div>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={pledge.status} />
        </dd>
      </div>
      <div>
        <dt>Stage</dt>
        <dd data-testid="pledge-stage" data-stage={pledge.stage}>
          {stageText(pledge.stage)}
        </dd>
      </div>
      <div>
        <dt>Donor</dt>
        <dd data-testid="pledge-donor">{pledge.donor}</dd>
      </div>
      <div>
        <dt>Coalitions</dt>
        <dd>{pledge.coalitions.map(coalitionText).join(', ') || '—'}</dd>
      </div>
      <div>
        <dt>Value</dt>
        <dd>{formatEur(pledge.valueEur)}</dd>
      </div>
      <div>
        <dt>Training offered</dt>
        <dd>{pledge.trainingOffered ? 'Yes' : 'No'}</dd>
      </div>
      <div>
        <dt>Sustainment</dt>
        <dd>
          {pledge.sustainment.spareParts ? 'Spare parts' : 'No spare parts'},{' '}
          {pledge.sustainment.maintenanceYears} years of maintenance
        </dd>
      </div>
      <div>
        <dt>Submitted</dt>
        <dd>
          <When iso={pledge.createdAt} /> by {pledge.submittedBy}
          {pledge.revision > 1 && <> · revision {pledge.revision}</>}
        </dd>
      </div>
      {pledge.notes && (
        <div className="wide">
          <dt>Notes</dt>
          <dd>{pledge.notes}</dd>
        </div>
      )}
    </dl>
  );
}

export function ItemsTable({ pledge, systems }: { pledge: Pledge; systems: System[] | undefined }) {
  return (
    <div className="table-wrap" role="region" aria-label="Items" tabIndex={0}>
      <table className="table" data-testid="items-table">
        <thead>
          <tr>
            <th scope="col">System</th>
            <th scope="col">Family</th>
            <th scope="col">Category</th>
            <th scope="col" className="num">
              Quantity
            </th>
            <th scope="col">Delivery window</th>
          </tr>
        </thead>
        <tbody>
          {pledge.items.map((item, i) => {
            const s = systems?.find((x) => x.id === item.systemId);
            return (
              <tr key={`${item.systemId}-${i}`}>
                <td>{systemName(systems, item.systemId)}</td>
                <td>{s?.family ?? '—'}</td>
                <td>{s ? categoryText(s.category) : '—'}</td>
                <td className="num">{item.quantity}</td>
                <td>
                  {formatDate(item.deliveryWindow.from)} – {formatDate(item.deliveryWindow.to)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
