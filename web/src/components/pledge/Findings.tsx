import { Link } from 'react-router';
import type { Finding, Review, System } from '../../api/types';
import { systemName } from '../../api/reference';
import { plural } from '../../lib/format';
import { decisionText, findingExplainer, severityLabel } from '../../lib/labels';
import { Empty, When } from '../common';

const severityOrder = { blocker: 0, warning: 1, info: 2 } as const;

/** The engine's recommendation with the findings counted: the top of every decision page. */
export function ReviewSummary({ review }: { review: Review | null }) {
  if (!review) return <Empty>The compatibility review has not run yet.</Empty>;
  const count = (s: Finding['severity']) => review.findings.filter((f) => f.severity === s).length;
  return (
    <p className="review-summary" data-testid="review-summary">
      Engine recommends{' '}
      <strong data-testid="review-recommendation">{decisionText(review.recommendation)}</strong> · score{' '}
      <strong data-testid="review-score">{review.score}</strong>/100 ·{' '}
      <span className={count('blocker') ? 'text-bad' : undefined} data-testid="count-blockers">
        {plural(count('blocker'), 'blocker')}
      </span>
      , <span data-testid="count-warnings">{plural(count('warning'), 'warning')}</span>,{' '}
      {plural(count('info'), 'positive finding')}
    </p>
  );
}

/** The review's findings, worst first, each in plain language with why it matters. */
export function Findings({
  review,
  systems,
  summary = true,
}: {
  review: Review | null;
  systems: System[] | undefined;
  /** Off where the page shows the summary already. */
  summary?: boolean;
}) {
  if (!review) return <Empty>The compatibility review has not run yet.</Empty>;
  const findings = [...review.findings].sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity]);
  return (
    <>
      {summary && <ReviewSummary review={review} />}
      {findings.length === 0 ? (
        <Empty>No findings.</Empty>
      ) : (
        <ul className="findings" data-testid="findings">
          {findings.map((f, i) => (
            <FindingItem key={`${f.code}-${f.systemId}-${i}`} finding={f} systems={systems} />
          ))}
        </ul>
      )}
    </>
  );
}

function FindingItem({ finding, systems }: { finding: Finding; systems: System[] | undefined }) {
  const explain = findingExplainer[finding.code];
  const sev = severityLabel[finding.severity];
  return (
    <li
      className={`finding sev-${finding.severity}`}
      data-testid="finding"
      data-code={finding.code}
      data-severity={finding.severity}
    >
      <div className="finding-sev">
        <strong>{sev.title}</strong>
        <span className="sr-only">: {sev.hint}</span>
      </div>
      <div className="finding-body">
        <p className="finding-title">
          {explain?.title ?? finding.code}
          {finding.systemId && <span className="muted"> — {systemName(systems, finding.systemId)}</span>}
        </p>
        <p className="finding-message">{finding.message}</p>
        {finding.requirementId && (
          <p>
            <Link to={`/requirements/${encodeURIComponent(finding.requirementId)}`}>
              See the requirement and its coverage
            </Link>
          </p>
        )}
        {explain && <p className="finding-why muted">Why it matters: {explain.why}</p>}
        <small className="muted mono">{finding.code}</small>
      </div>
    </li>
  );
}

/** The reviewer's decision with its comment and conditions. */
export function ReviewDecision({ review }: { review: Review | null }) {
  const d = review?.decision;
  if (!d) return <Empty>No review decision yet.</Empty>;
  return (
    <div data-testid="review-decision">
      <p>
        <strong>{decisionText(d.decision)}</strong>
        {d.by && <> by {d.by}</>}
        {d.onBehalfOf && <> on behalf of {d.onBehalfOf}</>}
        {d.at && (
          <span className="muted">
            {' · '}
            <When iso={d.at} />
          </span>
        )}
      </p>
      {d.comment && <blockquote className="wrap">{d.comment}</blockquote>}
      {d.conditions && d.conditions.length > 0 && (
        <>
          <p className="label">Conditions</p>
          <ul data-testid="review-conditions">
            {d.conditions.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
