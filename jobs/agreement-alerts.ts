import type { Job } from 'bullmq';
import { fulfilmentOf, yearsBehind, type ApprovedPledge } from '../domain/agreements';
import type { NotificationEvent } from '../domain/notifications';
import { APPROVED_STATUSES } from '../domain/pledge-lifecycle';
import type { Logger } from '../infra/logger';
import type { Store } from '../store';
import type { StoredAgreement } from '../store/agreements';
import { policyInForce } from '../store/policies';
import type { Projector } from '../store/projector';
import { notificationPublisher } from './notification-publisher';
import type { Queues } from './queues';

/** How often the jobs worker looks for agreements behind their commitment. */
export const AGREEMENT_CHECK_EVERY_MS = 60 * 60 * 1000;
export const AGREEMENT_CHECK_SCHEDULER = 'agreement-alerts';

/** A check's data: `asOf` stands in for the clock (tests, or a check of a past day); absent, it is now. */
export interface AgreementCheckData {
  asOf?: string;
}

export interface AgreementCheckOutcome {
  agreements: number;
  alerts: string[];
}

/** The event that tells staff and the donor's liaisons; its id makes publishing it again a no-op. */
export const behindEvent = (
  a: Pick<StoredAgreement, '_id' | 'donor' | 'title'>,
  year: { year: number; approvedEur: number; committedEur: number | null },
  at: string,
): NotificationEvent => ({
  id: `agreement:${a._id}:${year.year}:behind`,
  type: 'agreement.behind',
  title: `${a.title}: behind its ${year.year} commitment`,
  body:
    `Approved so far in ${year.year}: EUR ${Math.round(year.approvedEur).toLocaleString('en-GB')} ` +
    `of EUR ${Math.round(year.committedEur ?? 0).toLocaleString('en-GB')} committed (agreement ${a._id}).`,
  pledgeId: null,
  taskId: null,
  recipients: { roles: ['staff_officer', 'donor_liaison'], nation: a.donor },
  at,
});

/**
 * Looks for agreement years behind their commitment at mid-year and tells staff and the donor's liaisons, once
 * per agreement and year: the year is marked on the agreement after its event is published, and the event id is
 * derived from both, so a check repeated after a crash between the two publishes nothing new.
 */
export function createAgreementAlertProcessor({
  store,
  queues,
  logger,
  projector,
}: {
  store: Store;
  queues: Pick<Queues, 'notifications'>;
  logger: Logger;
  projector: Pick<Projector, 'agreementChanged'>;
}) {
  const publish = notificationPublisher(queues);
  return async (job: Job<AgreementCheckData>): Promise<AgreementCheckOutcome> => {
    const now = job.data?.asOf ? new Date(job.data.asOf) : new Date();
    if (Number.isNaN(now.getTime())) throw new RangeError(`asOf is not a date: ${job.data?.asOf}`);
    const policy = await policyInForce(store.Policy, 'agreements');
    const agreements = await store.Agreement.find({ status: 'in_force' }).lean();
    if (!agreements.length) return { agreements: 0, alerts: [] };
    // A background check, not a hot read: one query over the small pledge index for the donors concerned.
    const approved = await store.PledgeIndex.find(
      {
        donor: { $in: [...new Set(agreements.map((a) => a.donor))] },
        status: { $in: [...APPROVED_STATUSES] },
      },
      { donor: 1, approvedAt: 1, valueEur: 1 },
    ).lean<ApprovedPledge[]>();
    const alerts: string[] = [];
    for (const a of agreements) {
      const due = yearsBehind(fulfilmentOf(a, approved), policy, now).filter(
        (y) => !(a.alertedYears ?? []).includes(y.year),
      );
      for (const year of due) {
        const event = behindEvent(a, year, now.toISOString());
        await publish([event]);
        await store.Agreement.updateOne({ _id: a._id }, { $addToSet: { alertedYears: year.year } });
        await projector.agreementChanged(a._id);
        alerts.push(event.id);
        logger.info({ agreement: a._id, year: year.year }, 'agreement behind its commitment: notified');
      }
    }
    return { agreements: agreements.length, alerts };
  };
}
