import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfPageImage, readPdf } from '../../../test/support/pdf';
import {
  advance,
  people,
  stages,
  submitPledge,
  testPledge,
  type People,
} from '../../../test/support/pledge-stages';
import { startStack, type Stack } from '../../../test/support/stack';
import { seedTestTraining, twoRounds } from '../../../test/support/training';
import {
  assertWebBuilt,
  launchBrowser,
  loginAs,
  screenshot,
  SCREENSHOTS,
  type Browser,
} from './support/browser';
import { checkPage } from './support/pages';

describe('the time-targets page and the decision brief, in Chromium against the real stack', () => {
  let stack: Stack;
  let browser: Browser;
  let p: People;
  let awaiting: string;

  beforeAll(async () => {
    assertWebBuilt();
    stack = await startStack('web-targets');
    // Six seats a session: the pledge in review and the one awaiting approval (four crew each) cannot both go first.
    await seedTestTraining(stack, await stack.as('admin'), twoRounds(6));
    p = await people(stack);
    awaiting = await submitPledge(p, testPledge('FRA'));
    const inReview = await submitPledge(p, testPledge('DEU'));
    await Promise.all([
      advance(p, awaiting, stages.awaitingApproval),
      advance(p, inReview, stages.openReview),
    ]);
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('when staff open the time targets, then each phase shows its target and share met, readable at every width', async () => {
    const staff = await loginAs(browser.context, stack.url, 'staff');
    await staff.getByRole('link', { name: 'Time targets' }).click();
    const review = staff.locator('[data-testid="phase-figures"] tr[data-phase="intake_to_review_decision"]');
    await review.waitFor();
    await expect(review.textContent()).resolves.toContain('100 % (1 of 1)');
    const checks = await checkPage(
      staff,
      `${stack.url}/targets`,
      'phase-targets',
      '[data-testid="phase-figures"]',
    );
    expect(checks.filter((r) => r.overflow > 0 || r.violations.length)).toEqual([]);
    await staff.close();

    // A liaison has no figures across nations: no link to them.
    const fra = await loginAs(browser.context, stack.url, 'liaison.fra');
    await expect(fra.getByRole('link', { name: 'Time targets' }).count()).resolves.toBe(0);
    await fra.close();
  });

  it('when the commander opens the approval task, then it says what approving does to the pledge in review, readable at every width, and the decision brief downloads as a PDF', async () => {
    const commander = await loginAs(browser.context, stack.url, 'commander');
    const task = (
      await p.approvers.commander.client.get(`/api/v1/tasks?kind=command_approval&pledgeId=${awaiting}`)
    ).body.items.find((t: { state: string }) => t.state === 'open');
    const checks = await checkPage(
      commander,
      `${stack.url}/tasks/${task.id}`,
      'task-command-approval-impact',
      '[data-testid="approval-impact"]',
    );
    expect(checks.filter((r) => r.overflow > 0 || r.violations.length)).toEqual([]);
    await expect(commander.getByTestId('approval-impact-sentences').textContent()).resolves.toBe(
      'Approving this delays 4 Test UAS crew by 2 months.',
    );
    await expect(commander.locator('[data-testid="approval-impact"] tbody tr').count()).resolves.toBe(1);
    const button = commander.getByTestId('download-brief');
    await button.waitFor();
    const [download] = await Promise.all([commander.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe(`decision-brief-${awaiting}-round-1.pdf`);
    // What the commander downloaded, read as a reader would, and its first page kept as a picture.
    const pdf = readFileSync(await download.path());
    expect(readPdf(pdf).text).toContain(awaiting);
    pdfPageImage(pdf, 1, path.join(SCREENSHOTS, 'decision-brief-page-1.png'));
    await screenshot(commander, 'approval-task-with-brief');
    await commander.close();
  });
});
