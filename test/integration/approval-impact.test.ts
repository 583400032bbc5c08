import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download } from '../support/download';
import type { HttpClient } from '../support/http';
import { readPdf } from '../support/pdf';
import { advance, people, submitPledge, testPledge, type People } from '../support/pledge-stages';
import { startStack, type Stack } from '../support/stack';
import { day, seedTestTraining, twoRounds } from '../support/training';

describe('the effect of an approval on the other pending pledges’ training, over HTTP', () => {
  let stack: Stack;
  let p: People;
  let staff: HttpClient;
  let commander: HttpClient;
  let fra: HttpClient;
  /** Awaiting approval: its plan puts its 4 crew in the first basic and advanced sessions. */
  let awaiting: string;
  /** In training planning: its 6 crew need the same sessions; its plan is made around the awaiting one's. */
  let planning: string;

  const impactOf = (client: HttpClient, id: string) => client.get(`/api/v1/pledges/${id}/approval-impact`);

  beforeAll(async () => {
    stack = await startStack('approval-impact');
    await seedTestTraining(stack, await stack.as('admin'), twoRounds(8));
    p = await people(stack);
    staff = p.staff;
    commander = p.approvers.commander.client;
    fra = await stack.as('liaison.fra');
    // One after the other: the second is planned around the first, whose plan is held while it awaits approval.
    awaiting = await submitPledge(p, testPledge('FRA', 2));
    await advance(p, awaiting, (v) => v.status === 'AWAITING_APPROVAL' && v.approval !== null);
    planning = await submitPledge(p, testPledge('DEU', 3));
    await advance(p, planning, (v) => v.status === 'TRAINING_PLANNING' && v.trainingPlan !== null);
  }, 300_000);
  afterAll(async () => stack?.stop());

  it('when two pending pledges compete for the same sessions, then approving either delays the other by the gap between the sessions, in a sentence', async () => {
    const res = await impactOf(commander, awaiting);
    expect(res.status).toBe(200);
    // Without the awaiting pledge the 6 crew fit the first sessions; with its 4 there, 2 of them go a round later
    // (as the plan made around it already says).
    expect(res.body).toMatchObject({
      pledgeId: awaiting,
      seatsFrom: 'plan',
      pledgesCompared: 1,
      pledgesLeftOut: [],
      affected: [
        {
          pledgeId: planning,
          systemId: 'test-uas',
          audience: 'crew',
          trainees: 6,
          readyOnWithout: day(80),
          readyOnWith: day(140),
          delayDays: 60,
          lostByDeadline: 0,
        },
      ],
      summary: [
        { systemId: 'test-uas', audience: 'crew', pledges: 1, traineesDelayed: 6, largestDelayDays: 60 },
      ],
      sentences: ['Approving this delays 6 Test UAS crew by 2 months'],
    });
    expect(res.body.solver.with).not.toBeNull();

    // The other way round: the pledge still in planning was planned around the awaiting one's plan (held while it
    // waits for approval), so approving it would delay nobody.
    const reverse = await impactOf(staff, planning);
    expect(reverse.status).toBe(200);
    expect(reverse.body).toMatchObject({ seatsFrom: 'plan', pledgesCompared: 1, affected: [], summary: [] });

    // The commander's brief prints the same sentence under the training plan.
    const brief = await download(stack, `/pledges/${awaiting}/brief.pdf`, 'commander');
    expect(brief.status).toBe(200);
    const text = readPdf(brief.bytes).text.replace(/\s+/g, ' ');
    expect(text).toContain('5. Effect on the training portfolio');
    expect(text).toContain('against the 1 other pending pledge and the seats held then');
    expect(text).toContain('Approving this delays 6 Test UAS crew by 2 months.');
  });

  it('when a liaison asks, or the pledge does not exist, then it is refused or not found', async () => {
    const refused = await impactOf(fra, awaiting);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain(planning);
    expect((await impactOf(staff, 'PLNOSUCHPLEDGE')).status).toBe(404);
  });

  it('when the pledge is approved, then its seats are held: asking is a conflict, and it no longer competes with the other', async () => {
    await advance(p, awaiting, (v) => v.status === 'IN_TRAINING');
    const late = await impactOf(commander, awaiting);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain('IN_TRAINING');

    const rest = await impactOf(staff, planning);
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ pledgesCompared: 0, affected: [], summary: [] });
    expect(rest.body.sentences).toEqual(["Approving this delays no other pledge's training"]);
  });
});
