import { z } from 'zod';
import { can, canSeeDonor, type Principal } from '../../domain/permissions';
import { isPending } from '../../domain/pledge-lifecycle';
import { measurePhases, phaseTitle } from '../../domain/phase-targets';
import type { ProjectedPledgeView } from '../../domain/schemas/pledge-view';
import type { ImpactPledge } from '../../domain/training/approval-impact';
import { approvalWithVerification } from '../../store/decision-verification';
import { currentPhaseTargets } from '../../store/policies';
import type { ApiDeps } from '../deps';
import { renderDecisionBrief, type BriefPackage, type DecisionBriefInput } from '../documents/decision-brief';
import { conflict, notFound } from '../http/errors';
import { route } from '../http/route';
import { approvalImpactReader } from '../views/approval-impact';

const PdfDocument = z.string().meta({ id: 'PdfDocument', format: 'binary', description: 'A PDF document' });

/** The commander's decision brief, drawn from the decision package the approvers sign. */
export function briefRoutes(deps: ApiDeps) {
  const { store, views, keys, reference, logger } = deps;
  const impactOf = approvalImpactReader(deps);
  /** The effect of approving on the other pending pledges' training, as the brief prints it. */
  const trainingImpact = async (
    principal: Principal,
    entry: ImpactPledge,
    view: ProjectedPledgeView,
  ): Promise<DecisionBriefInput['trainingImpact']> => {
    // It names other nations' pledges: shown to those who may read the portfolio (today every reader of briefs).
    if (!can(principal, 'training:capacity')) return { unavailable: 'Not shown: it spans every nation.' };
    if (!isPending(entry.status))
      return { unavailable: `Not computed: the pledge is ${entry.status}, no longer awaiting a decision.` };
    try {
      return await impactOf(entry, view);
    } catch (err) {
      // The brief is what the commander signs from: a plan that cannot be made must not withhold the rest of it.
      logger.warn(
        { pledgeId: entry.id, err: (err as Error).message },
        'approval impact left out of the brief',
      );
      return { unavailable: `Could not be computed: ${(err as Error).message}` };
    }
  };
  return [
    route({
      method: 'get',
      path: '/pledges/:id/brief.pdf',
      operationId: 'getDecisionBrief',
      summary: 'The decision brief of a pledge in command approval, as a PDF of one or two pages',
      description:
        'What is offered, the findings (blockers first), requirement coverage, the training plan, what approving ' +
        'would do to the other pending pledges’ training (computed when drawn), the time against the phase targets, ' +
        'the approval chain with each signature verified, and the hash of the frozen decision package: the hash ' +
        'each approver signs, so the brief and the decision cannot differ.',
      tag: 'pledges',
      access: 'brief:read',
      params: z.object({ id: z.string().min(1).max(64) }),
      responses: {
        200: {
          description: 'PDF attachment',
          schema: PdfDocument,
          contentType: 'application/pdf',
          headers: {
            'Content-Disposition': '`attachment; filename="decision-brief-<pledge>-round-<n>.pdf"`',
            'Cache-Control': '`no-store`',
          },
        },
      },
      errors: {
        404: 'No such pledge',
        409: 'The pledge has not reached command approval: there is no decision package yet',
      },
      handler: async ({ principal, params }) => {
        await views.sync();
        const entry = views.pledges.get(params.id);
        if (!entry || !canSeeDonor(principal, entry.donor)) throw notFound(`pledge ${params.id}`);
        const view = (await views.pledgeDetail(params.id)) as ProjectedPledgeView | null;
        if (!view?.approval)
          throw conflict(`pledge ${params.id} has no decision package yet (${entry.status})`);
        const [verified, policy, systems, impact] = await Promise.all([
          approvalWithVerification(keys, params.id, view.approval),
          currentPhaseTargets(store.Policy),
          reference.systems(),
          trainingImpact(principal, entry, view),
        ]);
        const names = new Map(systems.map((s) => [s.id, s.name]));
        const pdf = await renderDecisionBrief({
          title: entry.title,
          package: view.approval.package as BriefPackage,
          packageHash: view.approval.packageHash,
          packageValid: verified?.packageValid ?? null,
          chain: verified?.chain ?? [],
          phases: measurePhases(entry, policy, new Date()),
          trainingImpact: impact,
          systemName: (id) => names.get(id) ?? id,
          phaseName: (phase) => phaseTitle[phase],
          generatedAt: new Date(),
        });
        return {
          status: 200,
          body: pdf,
          contentType: 'application/pdf',
          headers: {
            'Content-Disposition': `attachment; filename="decision-brief-${params.id}-round-${view.approval.round}.pdf"`,
            'Cache-Control': 'no-store',
          },
        };
      },
    }),
  ];
}
