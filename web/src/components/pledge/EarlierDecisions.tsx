import type { Pledge } from '../../api/types';
import { decisionText, roleText } from '../../lib/labels';
import { Empty, When } from '../common';

interface Earlier {
  key: string;
  step: string;
  decision: string;
  by: string;
  at: string | null;
  comment: string | null;
  conditions: string[];
}

/**
 * What was decided before in this round, with the comments: the review, the training plan's confirmation (the
 * coordinator's comment reaches the approvers), and the approval steps already taken.
 */
export function earlierDecisions(pledge: Pledge, before?: { taskId?: string }): Earlier[] {
  const out: Earlier[] = [];
  const d = pledge.review?.decision;
  if (d) {
    out.push({
      key: 'review',
      step: 'Compatibility review',
      decision: d.decision,
      by: d.onBehalfOf ? `${d.by} for ${d.onBehalfOf}` : d.by,
      at: d.at,
      comment: d.comment,
      conditions: d.conditions,
    });
  }
  const training = [...pledge.timeline]
    .reverse()
    .find((e) => e.type === 'training.confirmed' || e.type === 'training.replan_requested');
  if (training) {
    const comment = typeof training.detail.comment === 'string' ? training.detail.comment : null;
    out.push({
      key: 'training',
      step: 'Training plan',
      decision: training.type === 'training.confirmed' ? 'confirm' : 'replan',
      by: training.actor,
      at: training.at,
      comment: comment || null,
      conditions: [],
    });
  }
  for (const [i, s] of (pledge.approval?.chain ?? []).entries()) {
    if (!s.decision || s.taskId === before?.taskId) continue;
    out.push({
      key: `approval-${i}`,
      step: `${roleText(s.role)} (step ${i + 1})`,
      decision: s.decision,
      by: s.onBehalfOf ? `${s.by ?? '?'} for ${s.onBehalfOf}` : (s.by ?? '?'),
      at: s.at,
      comment: s.comment,
      conditions: s.conditions,
    });
  }
  return out;
}

export function EarlierDecisions({ pledge, taskId }: { pledge: Pledge; taskId?: string }) {
  const items = earlierDecisions(pledge, { taskId });
  if (!items.length) return <Empty>No decision has been taken on this pledge yet.</Empty>;
  return (
    <ol className="earlier" data-testid="earlier-decisions">
      {items.map((e) => (
        <li key={e.key} data-testid="earlier-decision" data-step={e.key}>
          <div>
            <strong>{e.step}</strong>: {decisionText(e.decision)} by {e.by}
            {e.at && (
              <span className="muted">
                {' · '}
                <When iso={e.at} />
              </span>
            )}
          </div>
          {e.comment && <blockquote className="wrap">{e.comment}</blockquote>}
          {e.conditions.length > 0 && (
            <ul className="conditions-list">
              {e.conditions.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
