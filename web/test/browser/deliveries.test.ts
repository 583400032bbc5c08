import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpClient } from '../../../test/support/http';
import {
  advance,
  people,
  submitPledge,
  testPledge,
  type People,
  type PledgeView,
} from '../../../test/support/pledge-stages';
import { eventually, startStack, type Stack } from '../../../test/support/stack';
import { day, seedTestTraining } from '../../../test/support/training';
import { assertWebBuilt, launchBrowser, loginAs, SCREENSHOTS, type Browser } from './support/browser';
import { lotIdsOnPage, lotOnPage, recordLotToReceived } from './support/deliveries';
import { checkPage, overflow, seriousViolations, WIDTHS } from './support/pages';

// Under load an action (a Temporal Update) can take seconds to show; the default 1 s poll is too short.
const POLL = { timeout: 30_000 };

interface Lot {
  id: string;
  quantity: number;
  plannedOn: string;
  state: string;
}

/** A calendar day as the web app prints it ("3 Mar 2027"). */
const formatDay = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(iso));

const approvedOrLater = (v: PledgeView) => v.status === 'APPROVED' || v.status === 'IN_TRAINING';

describe('deliveries in the web app: the logistics page and the lots on the pledge page, in Chromium against the real stack', () => {
  let stack: Stack;
  let browser: Browser;
  let p: People;
  let fra: string;
  let deu: string;

  const lotsOf = async (client: HttpClient, id: string) =>
    (await client.get(`/api/v1/pledges/${id}/deliveries`)).body.items as Lot[];
  /** The pledge's lots, once its delivery workflow has planned them after approval. */
  const plannedLots = (id: string) =>
    eventually(async () => {
      const lots = await lotsOf(p.staff, id);
      return lots.length ? lots : undefined;
    });

  beforeAll(async () => {
    assertWebBuilt();
    stack = await startStack('web-deliveries', { jobsWorker: 'inline' });
    await seedTestTraining(stack, await stack.as('admin'), [
      { id: 'uas-basic-1', courseId: 'uas-basic', start: 30, end: 50, seats: 100 },
      { id: 'uas-advanced-1', courseId: 'uas-advanced', start: 60, end: 80, seats: 100 },
    ]);
    p = await people(stack);
    // Two nations' approved pledges: each liaison must see its own lots and never the other's.
    fra = await submitPledge(p, testPledge('FRA', 2));
    deu = await submitPledge(p, testPledge('DEU', 2));
    await Promise.all([advance(p, fra, approvedOrLater), advance(p, deu, approvedOrLater)]);
    // The German lot is planned within the next 30 days, so the logistics page lists it as due.
    const [deuLot] = await plannedLots(deu);
    const redated = await p.staff.patch(`/api/v1/deliveries/${deuLot.id}`, {
      plannedOn: day(5),
      reason: 'shipped from stock ahead of the window',
    });
    expect(redated.status).toBe(202);
    await plannedLots(fra);
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('when staff re-date and split a lot on the pledge page, then each change is checked, confirmed and shown with its reason', async () => {
    const [lot] = await lotsOf(p.staff, fra);
    expect(lot.quantity).toBe(2);
    const staff = await loginAs(browser.context, stack.url, 'staff');
    await staff.goto(`${stack.url}/pledges/${fra}`);
    const entry = lotOnPage(staff, lot.id);
    await entry.waitFor({ timeout: 60_000 });
    // Staff plan lots; recording milestones is the delivery cell's.
    expect(await entry.getByTestId('milestone-form').count()).toBe(0);

    // Re-date: without a reason the field says why; a day in the past is refused at its field.
    await entry.getByTestId('redate-lot').click();
    const redate = entry.getByTestId('plan-change-form');
    await redate.getByLabel('Now planned for').fill(day(-3));
    await redate.getByTestId('review-plan-change').click();
    await expect
      .poll(() => entry.getByTestId(`error-${lot.id}-plannedOn`).textContent(), POLL)
      .toContain('must not be in the past');
    expect(await entry.getByTestId(`error-${lot.id}-reason`).textContent()).toContain('say why');
    await redate.getByLabel('Now planned for').fill(day(10));
    await redate.getByLabel('Why the plan changes').fill('the donor ships from stock next week');
    await redate.getByTestId('review-plan-change').click();
    const confirmRedate = entry.getByTestId('confirm-plan-change');
    expect(await confirmRedate.textContent()).toContain(`to be received ${formatDay(day(10))}`);
    await confirmRedate.getByTestId('confirm-plan-change-button').click();
    await expect.poll(() => entry.getByTestId('lot-notice').textContent(), POLL).toContain('Re-dated');
    await expect
      .poll(() => entry.locator('[data-testid="lot-change"][data-kind="redated"]').textContent(), POLL)
      .toContain('the donor ships from stock next week');

    // Split: moving the whole lot is refused at the field; one of two moves into a new lot with its own day.
    await entry.getByTestId('split-lot').click();
    const split = entry.getByTestId('plan-change-form');
    await split.getByLabel('Items to move').fill('2');
    await split.getByLabel('The new lot is planned for').fill(day(20));
    await split.getByLabel('Why the plan changes').fill('the second item leaves the depot later');
    await split.getByTestId('review-plan-change').click();
    await expect
      .poll(() => entry.getByTestId(`error-${lot.id}-split.quantity`).textContent(), POLL)
      .toContain('at most 1 of its 2');
    await split.getByLabel('Items to move').fill('1');
    await split.getByTestId('review-plan-change').click();
    await entry.getByTestId('confirm-plan-change-button').click();
    await expect
      .poll(() => entry.getByTestId('lot-notice').textContent(), POLL)
      .toContain('Split: 1 of its items');
    await expect.poll(() => lotIdsOnPage(staff), POLL).toHaveLength(2);
    const lots = await lotsOf(p.staff, fra);
    expect(lots.map((l) => [l.quantity, l.plannedOn])).toEqual([
      [1, day(10)],
      [1, day(20)],
    ]);
    await staff.close();
  });

  it('when the delivery cell records each milestone on the pledge page, then wrong days are refused in words and the lots arrive', async () => {
    const lots = await lotsOf(p.logistics, fra);
    expect(lots.length).toBeGreaterThanOrEqual(1);
    const logistics = await loginAs(browser.context, stack.url, 'logistics');
    // Without an inbox, the delivery cell starts on its own page, where the lots due soon are waiting.
    await logistics.waitForURL(/\/logistics$/);
    const due = logistics.locator(`[data-testid="lots-due-soon"] [data-pledge-id="${fra}"]`);
    await expect.poll(() => due.count(), POLL).toBe(lots.length);

    // The pledge page asks for nothing the delivery cell may not read (tasks, requirements): no refusal.
    const refused: string[] = [];
    logistics.on('response', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/') && r.status() >= 400)
        refused.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    await due.first().getByRole('link').click();
    await logistics.waitForURL(new RegExp(`/pledges/${fra}$`));
    const first = lotOnPage(logistics, lots[0].id);
    await first.waitFor({ timeout: 60_000 });
    expect(await logistics.getByTestId('section-open-tasks').count()).toBe(0);
    expect(await first.getByTestId('milestone-state').inputValue()).toBe('Prepared');
    expect(await first.getByTestId('redate-lot').count()).toBe(0);

    // A day ahead of today is refused before anything is sent.
    await first.getByLabel('Day').fill(day(1));
    await first.getByTestId('record-milestone').click();
    await expect
      .poll(() => first.getByTestId(`error-${lots[0].id}-at`).textContent(), POLL)
      .toContain('must not be in the future');
    expect(await first.getByLabel('Day').getAttribute('aria-invalid')).toBe('true');
    await first.getByLabel('Day').fill(day(0));
    await first.getByLabel('Place (optional)').fill('Depot Mourmelon');
    await first.getByLabel('Note (optional)').fill('Crated with spares');
    await first.getByTestId('record-milestone').click();
    await expect.poll(() => first.getAttribute('data-state'), POLL).toBe('prepared');
    await expect.poll(() => first.getByTestId('lot-notice').textContent(), POLL).toContain('prepared on');
    const prepared = first.locator('[data-testid="lot-milestone"][data-milestone="prepared"]');
    expect(await prepared.textContent()).toContain('Depot Mourmelon');
    expect(await prepared.textContent()).toContain('Crated with spares');
    expect(await prepared.textContent()).toContain('logistics');

    // Shipped the day before it was prepared: the engine refuses (409) and says why under the lot.
    expect(await first.getByTestId('milestone-state').inputValue()).toBe('Shipped');
    await first.getByLabel('Day').fill(day(-1));
    await first.getByTestId('record-milestone').click();
    await expect
      .poll(() => first.locator('[data-testid="lot-notice"][data-tone="error"]').textContent(), POLL)
      .toMatch(/^Not recorded: .*would come before prepared/);
    expect(await first.getAttribute('data-state')).toBe('prepared');
    await first.getByLabel('Day').fill(day(0));

    for (const lot of lots) await recordLotToReceived(logistics, lot.id);
    const readiness = logistics.getByTestId('readiness');
    await expect
      .poll(() => readiness.getByTestId('readiness-equipment').textContent(), POLL)
      .toContain(`${lots.length} of ${lots.length} lot`);
    expect(await readiness.getByTestId('readiness-equipment').textContent()).toContain('(2 of 2 items)');
    // The crews are not trained yet: equipment alone does not make the pledge READY.
    expect(await readiness.locator('[data-testid="readiness-crews"] .coverage-figure').textContent()).toMatch(
      /^0 of \d+ cohorts?$/,
    );
    expect(await logistics.getByTestId('pledge-detail').getAttribute('data-status')).not.toBe('READY');
    expect(refused.filter((r) => !r.includes('/milestones'))).toEqual([]);

    // Readable at both widths: nothing spills sideways, axe finds nothing serious; the page and the panel photographed.
    const pledgeChecks = await checkPage(
      logistics,
      `${stack.url}/pledges/${fra}`,
      'pledge-detail-logistics',
      '[data-testid="readiness"]',
    );
    for (const w of WIDTHS) {
      await logistics.setViewportSize({ width: w.width, height: w.height });
      await logistics.getByTestId('section-readiness').screenshot({
        path: path.join(SCREENSHOTS, `pledge-readiness-${w.name}.png`),
      });
    }
    await logistics.setViewportSize({ width: 1440, height: 900 });

    // The logistics page: the lots arrived this week, each with its pledge.
    const pageChecks = await checkPage(
      logistics,
      `${stack.url}/logistics`,
      'logistics-arrived',
      '[data-testid="lots-arrived"]',
    );
    for (const lot of lots) {
      const arrived = logistics.locator(`[data-testid="lots-arrived"] [data-lot-id="${lot.id}"]`);
      expect(await arrived.getAttribute('data-pledge-id')).toBe(fra);
      expect(await arrived.getByTestId('lot-state').textContent()).toBe(`Received on ${formatDay(day(0))}`);
    }
    expect(await logistics.locator(`[data-testid="lots-due-soon"] [data-pledge-id="${fra}"]`).count()).toBe(
      0,
    );
    // The German lot is still due; the delivery cell sees every nation's.
    expect(await logistics.locator(`[data-testid="lots-due-soon"] [data-pledge-id="${deu}"]`).count()).toBe(
      1,
    );
    const bad = [...pledgeChecks, ...pageChecks].filter((r) => r.overflow > 0 || r.violations.length);
    console.log(
      `deliveries pages checked: ${pledgeChecks.length + pageChecks.length}; problems: ${JSON.stringify(bad)}`,
    );
    expect(bad).toEqual([]);
    await logistics.close();
  });

  it('when liaison.deu looks for the French lots, then they are not found, and its logistics page lists only German lots', async () => {
    const deuApi = await stack.as('liaison.deu');
    expect((await deuApi.get(`/api/v1/pledges/${fra}/deliveries`)).status).toBe(404);
    expect((await deuApi.get(`/api/v1/pledges/${deu}/deliveries`)).status).toBe(200);
    const deuPage = await loginAs(browser.context, stack.url, 'liaison.deu');
    await deuPage.getByRole('link', { name: 'Logistics' }).click();
    await deuPage.getByTestId('section-lots-arrived').waitFor();
    const rows = deuPage.getByTestId('logistics-lot');
    await expect.poll(() => rows.count(), POLL).toBeGreaterThan(0);
    const pledges = await rows.evaluateAll((r) => r.map((row) => row.getAttribute('data-pledge-id')));
    expect(new Set(pledges)).toEqual(new Set([deu]));
    expect(await deuPage.locator(`[data-pledge-id="${fra}"]`).count()).toBe(0);
    // Its own pledge's lots are there to follow, without the delivery cell's or staff's controls.
    await deuPage.goto(`${stack.url}/pledges/${deu}`);
    await deuPage.getByTestId('delivery-lot').first().waitFor({ timeout: 60_000 });
    expect(await deuPage.getByTestId('milestone-form').count()).toBe(0);
    expect(await deuPage.getByTestId('redate-lot').count()).toBe(0);
    expect(await overflow(deuPage)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(deuPage)).toEqual([]);
    await deuPage.close();
  });
});
