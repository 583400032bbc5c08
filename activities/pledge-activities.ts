import type { PledgeInput, PledgeStatus } from '../domain/schemas/pledge';
import { appendAudit } from '../store/audit-log';
import { updateByIdIf } from '../store/guarded-update';
import { refreshPledgeIndex, touchesPledgeIndex } from '../store/pledge-index';
import type { ActivityDeps } from './deps';

export interface TimelineEvent {
  /** Deterministic (derived from workflow and step) so a retried activity records it once. */
  eventId: string;
  type: string;
  actor: string;
  detail?: Record<string, unknown>;
}

export interface Transition extends TimelineEvent {
  pledgeId: string;
  status?: PledgeStatus;
  stage?: string;
  /** Extra read-model fields written with the transition (review, trainingPlan, approval…). */
  patch?: Record<string, unknown>;
  at: string;
}

export const searchTextOf = (id: string, p: PledgeInput, systemNames: string[]) =>
  [id, p.donor, ...p.items.map((i) => i.systemId), ...systemNames, p.notes ?? ''].join(' ').toLowerCase();

/** Writing the pledge read model, its timeline and the audit log. */
export function createPledgeActivities({ store }: ActivityDeps) {
  return {
    /** Applies a transition to the read model and appends it to the timeline and the audit log, once. */
    async recordTransition(t: Transition): Promise<void> {
      const set: Record<string, unknown> = { ...(t.patch ?? {}) };
      if (t.status) set.status = t.status;
      if (t.stage) set.stage = t.stage;
      const entry = { eventId: t.eventId, at: t.at, type: t.type, actor: t.actor, detail: t.detail ?? {} };
      // The workflow is the only writer of a pledge's timeline, so this guard is not racing anyone.
      // `$nor` of an equality, not `$ne`: FerretDB matches `{'timeline.eventId': {$ne: id}}` whenever some
      // entry differs, which let every retried activity append its entry again; `$nor` means the same on MongoDB.
      const appended = await updateByIdIf(
        store.Pledge,
        t.pledgeId,
        {
          filter: { $nor: [{ 'timeline.eventId': t.eventId }] },
          holds: (doc: { timeline?: Array<{ eventId: string }> }) => !(doc.timeline ?? []).some((e) => e.eventId === t.eventId),
          projection: { timeline: 1 },
        },
        { $set: set, $push: { timeline: entry } },
      );
      if (!appended && Object.keys(set).length) {
        await store.Pledge.updateOne({ _id: t.pledgeId }, { $set: set });
      }
      // Most transitions only add to the timeline; the index is read again only when an indexed field changed.
      if (touchesPledgeIndex(set)) await refreshPledgeIndex(store, t.pledgeId);
      await appendAudit(store, {
        eventId: t.eventId,
        actor: t.actor,
        action: t.type,
        pledgeId: t.pledgeId,
        detail: { ...(t.status ? { status: t.status } : {}), ...(t.detail ?? {}) },
        at: t.at,
      });
    },
  };
}
