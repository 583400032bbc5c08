import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, people, stages, submitPledge, testPledge, type People } from '../support/pledge-stages';
import { startStack, type Stack } from '../support/stack';
import { download } from '../support/download';
import { readPdf } from '../support/pdf';
import { seedTestTraining } from '../support/training';

const today = () => new Date().toISOString().slice(0, 10);

describe('phase time targets and the decision brief', () => {
  let stack: Stack;
  let p: People;
  let approved: string;
  let inReview: string;
  let awaiting: string;

  beforeAll(async () => {
    stack = await startStack('phase-targets');
    await seedTestTraining(stack, await stack.as('admin'), [
      { id: 'uas-basic-1', courseId: 'uas-basic', start: 30, end: 50, seats: 100 },
      { id: 'uas-advanced-1', courseId: 'uas-advanced', start: 60, end: 80, seats: 100 },
    ]);
    p = await people(stack);
    approved = await submitPledge(p, testPledge('FRA'));
    inReview = await submitPledge(p, testPledge('DEU'));
    awaiting = await submitPledge(p, testPledge('FRA', 4));
    await Promise.all([
      advance(p, approved, (v) => v.status === 'APPROVED' || v.status === 'IN_TRAINING'),
      advance(p, inReview, stages.openReview),
      advance(p, awaiting, stages.awaitingApproval),
    ]);
  }, 300_000);
  afterAll(async () => stack?.stop());

  it('when a pledge went through review, planning and approval today, then each phase counts as completed and met', async () => {
    const res = await p.staff.get(`/api/v1/reports/phase-targets?from=${today()}&to=${today()}`);
    expect(res.status).toBe(200);
    const byPhase = Object.fromEntries(
      (
        res.body.phases as Array<{
          phase: string;
          completed: number;
          met: number;
          shareMet: number;
          targetDays: number | null;
        }>
      ).map((f) => [f.phase, f]),
    );
    // Two pledges were reviewed and planned today; one of them is still being approved.
    for (const phase of ['intake_to_review_decision', 'training_planning']) {
      expect(byPhase[phase], phase).toMatchObject({ completed: 2, met: 2, shareMet: 1 });
    }
    for (const phase of ['command_approval', 'submission_to_approval']) {
      expect(byPhase[phase], phase).toMatchObject({ completed: 1, met: 1, shareMet: 1 });
    }
    expect(byPhase.intake_to_review_decision.targetDays).toBe(5);
    expect(res.body).toMatchObject({ from: today(), to: today(), policyVersion: 1, overTarget: [] });

    const times = await p.staff.get(`/api/v1/pledges/${approved}/phase-times`);
    expect(times.status).toBe(200);
    expect(
      (times.body.phases as Array<{ phase: string; state: string; met: boolean | null }>).map((s) => [
        s.phase,
        s.state,
        s.met,
      ]),
    ).toEqual([
      ['intake_to_review_decision', 'completed', true],
      ['submission_to_approval', 'completed', true],
      ['training_planning', 'completed', true],
      ['command_approval', 'completed', true],
      ['approval_to_ready', 'open', null],
    ]);
  });

  it('when an admin publishes tighter targets, then a pledge still in review is over target and in the CSV', async () => {
    const admin = await stack.as('admin');
    const published = await admin.post('/api/v1/admin/policies/phase_targets', {
      // A few seconds: the pledge submitted at the start of this file is already past it.
      targets: {
        intake_to_review_decision: 0.00001,
        training_planning: 10,
        command_approval: 7,
        submission_to_approval: 30,
      },
      readyGraceDays: 0,
    });
    expect(published.status).toBe(201);
    expect(published.body.version).toBe(2);

    const res = await p.staff.get('/api/v1/reports/phase-targets');
    expect(res.status).toBe(200);
    expect(res.body.policyVersion).toBe(2);
    expect(res.body.overTarget).toEqual([
      expect.objectContaining({ pledgeId: inReview, donor: 'DEU', phase: 'intake_to_review_decision' }),
    ]);

    const csv = await p.staff.get(`/api/v1/reports/phase-targets.csv?from=${today()}&to=${today()}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parse<Record<string, string>>(csv.body as string, { columns: true });
    expect(rows.filter((r) => r.pledgeId === approved && r.state === 'completed')).toHaveLength(4);
    expect(rows).toContainEqual(
      expect.objectContaining({
        pledgeId: inReview,
        phase: 'intake_to_review_decision',
        state: 'open',
        met: 'no',
      }),
    );
  });

  it('refuses what it must: liaisons, strangers, bad periods, unknown parameters and other nations’ pledges', async () => {
    const liaison = await stack.as('liaison.fra');
    expect((await liaison.get('/api/v1/reports/phase-targets')).status).toBe(403);
    expect((await liaison.get('/api/v1/reports/phase-targets.csv')).status).toBe(403);
    expect((await stack.anonymous.get('/api/v1/reports/phase-targets')).status).toBe(401);

    // A liaison reads its own pledge's phase times; another nation's pledge does not exist for it.
    expect((await liaison.get(`/api/v1/pledges/${approved}/phase-times`)).status).toBe(200);
    expect((await liaison.get(`/api/v1/pledges/${inReview}/phase-times`)).status).toBe(404);
    expect((await p.staff.get('/api/v1/pledges/PLNOSUCHPLEDGE/phase-times')).status).toBe(404);

    const backwards = await p.staff.get('/api/v1/reports/phase-targets?from=2026-06-30&to=2026-06-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details).toEqual([expect.objectContaining({ path: 'to' })]);
    const tooLong = await p.staff.get('/api/v1/reports/phase-targets?from=2020-01-01&to=2026-06-01');
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details).toEqual([expect.objectContaining({ path: 'from' })]);
    const notADate = await p.staff.get('/api/v1/reports/phase-targets?from=yesterday');
    expect(notADate.status).toBe(400);
    expect(JSON.stringify(notADate.body.error.details)).toContain('from');
    expect((await p.staff.get('/api/v1/reports/phase-targets?period=month')).status).toBe(400);

    const badPolicy = await (
      await stack.as('admin')
    ).post('/api/v1/admin/policies/phase_targets', {
      targets: { intake_to_review_decision: -1 },
      readyGraceDays: 0,
    });
    expect(badPolicy.status).toBe(400);
    expect(JSON.stringify(badPolicy.body.error.details)).toContain('targets.intake_to_review_decision');
  });

  it('when a pledge awaits its next signature, then its brief is a PDF carrying the hash that step signs, its findings and the chain so far', async () => {
    const { body: view } = await p.staff.get(`/api/v1/pledges/${awaiting}`);
    const task = (
      await p.approvers.commander.client.get(`/api/v1/tasks?kind=command_approval&pledgeId=${awaiting}`)
    ).body.items.find((t: { state: string }) => t.state === 'open');
    const signing = await p.approvers.commander.client.get(
      `/api/v1/tasks/${task.id}/signing-payload?decision=approve`,
    );
    expect(signing.status).toBe(200);
    expect(signing.body.packageHash).toBe(view.approval.packageHash);

    const brief = await downloadBrief(awaiting, 'commander');
    expect(brief.status).toBe(200);
    expect(brief.type).toBe('application/pdf');
    const { text, pages } = readPdf(brief.bytes);
    expect(pages).toBeLessThanOrEqual(2);
    expect(text).toContain(signing.body.packageHash);
    expect(view.review.findings.length, 'the review found something to show').toBeGreaterThan(0);
    for (const finding of view.review.findings as Array<{ message: string }>)
      expect(text.replace(/\s+/g, ' ')).toContain(finding.message.replace(/\s+/g, ' ').slice(0, 40));
    expect(text).toMatch(/Step 1, chief of staff: approve by cos at .* - signature verified/);
    expect(text).toContain('The stored package matches this hash');
    // Sessions of 100 seats: the pledge in review finds its seats whether this one is approved or not.
    expect(text).toContain('5. Effect on the training portfolio');
    expect(text).toContain("Approving this delays no other pledge's training.");

    // Staff prepare the brief too; a liaison, a reviewer and a stranger cannot have it.
    expect((await downloadBrief(awaiting, 'staff')).status).toBe(200);
    expect((await downloadBrief(awaiting, 'liaison.fra')).status).toBe(403);
    expect((await downloadBrief(awaiting, 'reviewer')).status).toBe(403);
    expect((await fetch(`${stack.url}/api/v1/pledges/${awaiting}/brief.pdf`)).status).toBe(401);
    // No package before command approval, and no pledge at all.
    const early = await p.staff.get(`/api/v1/pledges/${inReview}/brief.pdf`);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('no decision package');
    expect((await p.staff.get('/api/v1/pledges/PLNOSUCHPLEDGE/brief.pdf')).status).toBe(404);
  });

  /** The brief as a browser downloads it: the bytes, as the user named fetches them. */
  const downloadBrief = (id: string, username: string) =>
    download(stack, `/pledges/${id}/brief.pdf`, username);
});
