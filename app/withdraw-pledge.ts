import type { Principal } from '../domain/permissions';
import { actorOf } from '../domain/tasks';
import { visiblePledge, type PledgeFinder, type PledgeLifecycle } from './pledge-ports';
import type { SubmittedPledge } from './submit-pledge';

export type WithdrawalPorts = PledgeFinder & Pick<PledgeLifecycle, 'withdraw'>;

/**
 * Withdraws a pledge at any stage (its workflow releases the seats it holds). Refuses as `not_found`, or as the
 * workflow refuses (`conflict` once the pledge is closed).
 */
export async function withdrawPledge(
  ports: WithdrawalPorts,
  principal: Principal,
  id: string,
  reason: string,
): Promise<SubmittedPledge> {
  const pledge = await visiblePledge(ports, principal, id);
  const state = await ports.withdraw(pledge, { actor: actorOf(principal), reason });
  return { id, workflowId: pledge.workflowId, status: state.status };
}
