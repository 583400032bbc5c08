import type { Requirement } from '../../api/types';

const rows = [
  ['pledged', 'Pledged (under review or further)'],
  ['approved', 'Approved by command'],
  ['ready', 'Ready (equipment and crews)'],
] as const;

/** A requirement's coverage: pledged, approved and ready against what is required, in units and as bars. */
export function CoverageBars({ coverage }: { coverage: Requirement['coverage'] }) {
  return (
    <dl className="coverage" data-testid="coverage">
      {rows.map(([key, label]) => (
        <div key={key} className="coverage-row" data-testid={`coverage-${key}`}>
          <dt>{label}</dt>
          <dd>
            <progress
              max={coverage.required}
              value={Math.min(coverage[key], coverage.required)}
              aria-label={`${label}: ${coverage[key]} of ${coverage.required}`}
            />
            <span className="coverage-figure">
              {coverage[key]} of {coverage.required}
            </span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
