import { DomainFailure } from '../domain/failures';
import type { Principal } from '../domain/permissions';
import type { PledgeInput } from '../domain/schemas/pledge';
import { actorOf } from '../domain/tasks';
import { visiblePledge, type PledgeFinder, type PledgeLifecycle } from './pledge-ports';
import { checkPledge, type SubmittedPledge, type SystemCatalogue } from './submit-pledge';

export type AmendmentPorts = PledgeFinder & SystemCatalogue & Pick<PledgeLifecycle, 'amend'>;

/**
 * Amends a pledge (its workflow decides whether its status allows it; the review runs again). Its donor cannot
 * change, and the amended pledge meets every rule a submission does. Refuses as `not_found`, `invalid`,
 * `forbidden`, or as the workflow refuses (`conflict`, `unprocessable`).
 */
export async function amendPledge(
  ports: AmendmentPorts,
  principal: Principal,
  id: string,
  input: PledgeInput,
): Promise<SubmittedPledge> {
  const pledge = await visiblePledge(ports, principal, id);
  if (input.donor !== pledge.donor) {
    throw new DomainFailure('invalid', 'the donor of a pledge cannot change', [
      { path: 'donor', message: `must stay ${pledge.donor}` },
    ]);
  }
  await checkPledge(ports, principal, input);
  const state = await ports.amend(pledge, { actor: actorOf(principal), pledge: input });
  return { id, workflowId: pledge.workflowId, status: state.status };
}
