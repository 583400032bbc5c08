import { reviewPledge, type PledgeReview } from '../domain/review/review-pledge';
import { estimateTrainingCapacity } from '../domain/review/training-estimate';
import { derivePledgeFields } from '../domain/pledge-derived';
import type { PledgeDerived } from '../domain/pledge-record';
import { PledgeInput } from '../domain/schemas/pledge';
import { ReviewPolicy } from '../domain/schemas/policy';
import { TaskPolicy } from '../domain/schemas/task-policy';
import { requirementReader } from '../store/requirements';
import { latestPolicy } from '../store/policies';
import { pledgeRepository } from '../store/pledges';
import type { ActivityDeps } from './deps';
import { activityFailure } from './failures';

/** Intake and compatibility review: reading the catalogue, policies and open pledges. */
export function createReviewActivities({ store, reference: ref, projections }: ActivityDeps) {
  const requirements = requirementReader(store);
  const loadPledge = async (pledgeId: string) => {
    const doc = await pledgeRepository(store.Pledge).byId(pledgeId);
    if (!doc) throw activityFailure('not_found', `pledge ${pledgeId} not found`);
    // The read model stores absent optional fields as null; the input schema wants them absent.
    const present = Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== null));
    return { id: doc._id, ...PledgeInput.parse(present) };
  };

  return {
    /** The active (latest) versions of the policies; a workflow keeps what it loaded. */
    async loadPolicies(): Promise<{ review: ReviewPolicy; tasks: TaskPolicy }> {
      const review = await latestPolicy(store.Policy, 'review');
      const tasks = await latestPolicy(store.Policy, 'tasks');
      if (!review || !tasks) {
        throw activityFailure('not_found', 'policies are not seeded yet');
      }
      return { review, tasks };
    },

    /** Checks the pledge against the catalogue as it is now and names the coalitions it goes to. */
    async checkIntake(
      pledgeId: string,
    ): Promise<{ accepted: boolean; problems: string[]; coalitions: string[] }> {
      const pledge = await loadPledge(pledgeId);
      const ids = pledge.items.map((i) => i.systemId);
      const systems = await store.System.find({ _id: { $in: ids } }).lean();
      const known = new Map(systems.map((s) => [s._id, s]));
      const problems = ids
        .filter((id) => !known.has(id))
        .map((id) => `system ${id} is no longer in the catalogue`);
      const coalitions = [...new Set(systems.map((s) => s.coalition))].sort();
      return { accepted: problems.length === 0, problems, coalitions };
    },

    /** Runs the compatibility rules on the pledge against the current reference data. */
    async runCompatibilityReview(pledgeId: string, policy: ReviewPolicy): Promise<PledgeReview> {
      const pledge = await loadPledge(pledgeId);
      const [
        systems,
        inventory,
        openRequirements,
        requirementOverrides,
        ammunitionSupply,
        openPledges,
        courses,
        sessions,
      ] = await Promise.all([
        ref.systems(),
        ref.inventory(),
        requirements.open(),
        requirements.overridesFor(pledgeId),
        ref.ammunitionSupply(),
        projections.openPledgesOf(pledge.donor),
        ref.courses(),
        ref.sessions(),
      ]);
      const catalog = new Map(systems.map((s) => [s.id, s]));
      const training = estimateTrainingCapacity(pledge, {
        catalog,
        courses,
        sessions: sessions.map((s) => ({ ...s, seatsTaken: 0 })),
      });
      return reviewPledge(pledge, {
        catalog,
        inventory,
        requirements: openRequirements,
        requirementOverrides,
        ammunitionSupply,
        openPledges: openPledges
          .filter((p) => p.id !== pledgeId)
          .map((p) => ({ id: p.id, donor: p.donor, items: p.items as PledgeInput['items'] })),
        training,
        policy,
      });
    },

    /** The record's fields derived from an amended pledge with the catalogue as it is now. */
    async derivePledge(pledgeId: string, pledge: PledgeInput): Promise<PledgeDerived> {
      return derivePledgeFields(pledgeId, pledge, await ref.systems());
    },
  };
}
