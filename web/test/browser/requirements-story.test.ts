import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type Stack } from '../../../test/support/stack';
import { day } from '../../../test/support/training';
import { assertWebBuilt, launchBrowser, loginAs, type Browser } from './support/browser';
import { checkPage, type PageCheck } from './support/pages';

// Under load a write can take seconds to show; the default 1 s poll is too short.
const POLL = { timeout: 30_000 };

describe("Ukraine's requirements in the web app, driven in Chromium against the real stack", () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    assertWebBuilt();
    stack = await startStack('webreq');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('when liaison.ukr states a requirement and a donor pledges against it, then its page and the unfilled-urgent panel show the coverage', async () => {
    // Ukraine's liaison has no inbox: it starts at the requirements, and states a new one.
    const ukr = await loginAs(browser.context, stack.url, 'liaison.ukr');
    await ukr.waitForURL(/\/requirements$/);
    expect(await ukr.getByRole('link', { name: 'Inbox' }).count()).toBe(0);
    await ukr.getByRole('button', { name: 'State a requirement' }).click();
    await ukr.getByLabel('Category').selectOption('air-defence-medium');
    await ukr.getByLabel('Family (optional)').fill('IRIS-T');
    await ukr.getByLabel('Quantity').fill('0');
    await ukr.getByLabel('Needed by').fill(day(240));
    await ukr.getByLabel('Justification').fill('Cover Odesa port and the grid before winter');
    // The shared schema speaks first: nothing is sent with a quantity of 0.
    await ukr.getByTestId('save-requirement').click();
    await expect
      .poll(() => ukr.getByTestId('error-quantity').textContent(), POLL)
      .toContain('must be positive');
    await ukr.getByLabel('Quantity').fill('10');
    await ukr.getByTestId('save-requirement').click();
    await ukr.waitForURL(/\/requirements\/RQ[0-9A-Z]+$/);
    const requirementId = new URL(ukr.url()).pathname.split('/').pop()!;
    await expect.poll(() => ukr.getByTestId('coverage-pledged').textContent(), POLL).toContain('0 of 10');

    // Germany pledges 4 IRIS-T SLM fire units; its review matches them to the requirement.
    const deu = await stack.as('liaison.deu');
    const submitted = await deu.post('/api/v1/pledges', {
      donor: 'DEU',
      items: [{ systemId: 'iris-t-slm', quantity: 4, deliveryWindow: { from: day(200), to: day(300) } }],
      trainingOffered: true,
      sustainment: { spareParts: true, maintenanceYears: 3 },
      valueEur: 600_000_000,
    });
    expect(submitted.status).toBe(202);
    const match = await eventually(async () => {
      const view = await deu.get(`/api/v1/pledges/${submitted.body.id}`);
      return (
        view.body.review?.findings as Array<{ code: string; requirementId?: string }> | undefined
      )?.find((f) => f.code === 'NEED_MATCH');
    });
    expect(match).toMatchObject({ requirementId, coverageShare: 0.4 });

    await ukr.reload();
    await expect.poll(() => ukr.getByTestId('coverage-pledged').textContent(), POLL).toContain('4 of 10');
    expect(await ukr.getByTestId('coverage-approved').textContent()).toContain('0 of 10');

    // The panel of unfilled urgent requirements, on the requirements page and on the staff's dashboard.
    await ukr.goto(`${stack.url}/requirements`);
    const ukrRow = ukr.locator(`[data-testid="unfilled-row"][data-requirement-id="${requirementId}"]`);
    await expect.poll(() => ukrRow.textContent(), POLL).toContain('4 of 10');
    expect(await ukrRow.getByTestId('shortfall').textContent()).toBe('6');
    const staff = await loginAs(browser.context, stack.url, 'staff');
    await staff.goto(`${stack.url}/dashboard`);
    const staffRow = staff.locator(`[data-testid="unfilled-row"][data-requirement-id="${requirementId}"]`);
    await expect.poll(() => staffRow.textContent(), POLL).toContain('IRIS-T');
    expect(await staffRow.getByTestId('shortfall').textContent()).toBe('6');

    // On the pledge's page staff see what it serves, and may say it serves none: the coverage follows.
    await staff.goto(`${stack.url}/pledges/${submitted.body.id}`);
    const served = staff.locator('[data-testid="requirement-match"][data-system-id="iris-t-slm"]');
    await expect.poll(() => served.textContent(), POLL).toContain('matched automatically');
    expect(await served.getByRole('link').textContent()).toContain('IRIS-T');
    await staff.getByLabel('Serves').selectOption('');
    await staff.getByLabel('Why the match changes').fill('Earmarked for the training centre');
    await staff.getByTestId('save-matches').click();
    await expect.poll(() => served.textContent(), POLL).toContain('chosen by staff');
    expect(await served.textContent()).toContain('serves no open requirement');
    await ukr.goto(`${stack.url}/requirements/${requirementId}`);
    await expect.poll(() => ukr.getByTestId('coverage-pledged').textContent(), POLL).toContain('0 of 10');

    // Reprioritised to 3, it is no longer urgent: it leaves the panel.
    await ukr.goto(`${stack.url}/requirements/${requirementId}`);
    await ukr.getByRole('button', { name: 'Amend' }).click();
    await ukr.getByLabel('Priority').selectOption('3');
    await ukr.getByTestId('save-requirement').click();
    await expect.poll(() => ukr.locator('h1').textContent(), POLL).toMatch(/^P3 · 10 × IRIS-T/);
    await ukr.goto(`${stack.url}/requirements`);
    await ukr.getByText('Every urgent requirement is pledged in full.').waitFor();
    expect(await ukrRow.count()).toBe(0);

    const checks: PageCheck[] = [
      ...(await checkPage(
        ukr,
        `${stack.url}/requirements`,
        'requirements',
        '[data-testid="requirement-table"]',
      )),
      ...(await checkPage(
        ukr,
        `${stack.url}/requirements/${requirementId}`,
        'requirement',
        '[data-testid="coverage"]',
      )),
      ...(await checkPage(
        ukr,
        `${stack.url}/requirements/new`,
        'requirement-form',
        '[data-testid="requirement-form"]',
      )),
    ];
    expect(checks.filter((c) => c.overflow > 0 || c.violations.length)).toEqual([]);
    await ukr.close();
    await staff.close();
  });
});
