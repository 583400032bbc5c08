import mongoose from 'mongoose';
import type { Document } from 'mongodb';
import type { Manifest, ManifestCounts } from './manifest';

/** Counts what the manifest reports, from the documents as they are dumped (nothing is read twice). */
export function recordCounter() {
  const counts: ManifestCounts = {
    pledges: 0,
    pledgesByStatus: {},
    tasks: 0,
    openTasks: 0,
    seatsReserved: 0,
    signatures: 0,
    notifications: 0,
    deliveries: 0,
    deliveriesByState: {},
  };
  const audit: Manifest['audit'] = { head: null, entries: 0, pending: 0, checkpoint: null };
  let checkpointSeq = -1;
  const bump = (map: Record<string, number>, key: unknown) =>
    (map[String(key)] = (map[String(key)] ?? 0) + 1);
  const visit = (collection: string, doc: Document) => {
    switch (collection) {
      case 'pledges':
        counts.pledges++;
        bump(counts.pledgesByStatus, doc.status);
        for (const step of (doc.approval?.chain ?? []) as Array<{ signature?: string | null }>)
          if (step.signature) counts.signatures++;
        break;
      case 'tasks':
        counts.tasks++;
        if (doc.state === 'open') counts.openTasks++;
        break;
      case 'seat_reservations':
        if (doc.kind === 'reserved') counts.seatsReserved++;
        break;
      case 'notifications':
        counts.notifications++;
        break;
      case 'deliveries':
        counts.deliveries++;
        bump(counts.deliveriesByState, doc.state);
        break;
      case 'audit_log':
        audit.entries++;
        break;
      case 'audit_pending':
        audit.pending++;
        break;
      case 'audit_head':
        if (doc._id === 'head') audit.head = { seq: Number(doc.seq), hash: String(doc.hash) };
        break;
      case 'audit_checkpoints': {
        // The latest checkpoint, whatever its exact shape: the one over the longest chain.
        const seq = Number(doc.seq ?? doc.headSeq ?? doc.head?.seq ?? 0);
        if (seq >= checkpointSeq) {
          checkpointSeq = seq;
          audit.checkpoint = mongoose.mongo.BSON.EJSON.serialize(doc, { relaxed: true });
        }
        break;
      }
    }
  };
  return { counts, audit, visit };
}
