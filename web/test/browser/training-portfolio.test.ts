import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../../test/support/stack';
import { assertWebBuilt, launchBrowser, loginAs, screenshot, type Browser } from './support/browser';
import { checkPage } from './support/pages';

const year = new Date().getUTCFullYear() + 1;

describe('the training capacity and what-if pages, in Chromium against the real stack', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    assertWebBuilt();
    stack = await startStack('web-portfolio');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('when staff open the capacity, then a course × month table shows seats demanded and offered, readable at every width', async () => {
    const staff = await loginAs(browser.context, stack.url, 'staff');
    await staff.getByRole('link', { name: 'Training capacity' }).click();
    const table = staff.getByTestId('capacity-table');
    await table.waitFor();
    const english = staff.locator('[data-testid="capacity-row"][data-course="aviation-english"]');
    await english.waitFor();
    // Each cell tells its figures in words to screen readers.
    await expect(english.locator('td').first().textContent()).resolves.toMatch(
      /seats? demanded, \d+ seats? offered/,
    );
    const checks = await checkPage(
      staff,
      `${stack.url}/training/capacity`,
      'training-capacity',
      '[data-testid="capacity-table"]',
    );
    expect(checks.filter((r) => r.overflow > 0 || r.violations.length)).toEqual([]);

    // A range ending before it starts is refused by the engine, and the field says why.
    await staff.getByLabel('From (month)').fill(`${year}-06`);
    await staff.getByLabel('To (month)').fill(`${year}-01`);
    await staff.getByRole('button', { name: 'Show' }).click();
    await expect(staff.getByTestId('error-capacity-to').textContent()).resolves.toContain(
      'must not be before',
    );
    await staff.close();
  });

  it('when a liaison looks for the capacity, then there is no link and the page says it is not allowed; the what-if is there', async () => {
    const fra = await loginAs(browser.context, stack.url, 'liaison.fra');
    await expect(fra.getByRole('link', { name: 'Training capacity' }).count()).resolves.toBe(0);
    await expect(fra.getByRole('link', { name: 'What-if' }).count()).resolves.toBe(1);
    await fra.goto(`${stack.url}/training/capacity`);
    await fra.getByRole('alert').first().waitFor();
    await expect(fra.getByTestId('capacity-table').count()).resolves.toBe(0);
    await fra.close();
  });

  it('when staff try two F-16s, then the readiness table and the shortfall show, and bad input is named at its field', async () => {
    const staff = await loginAs(browser.context, stack.url, 'staff');
    const checks = await checkPage(
      staff,
      `${stack.url}/training/what-if`,
      'training-what-if',
      '[data-testid="what-if-form"]',
    );
    expect(checks.filter((r) => r.overflow > 0 || r.violations.length)).toEqual([]);
    await staff.goto(`${stack.url}/inbox`);
    await staff.getByRole('link', { name: 'What-if' }).click();
    await staff.getByTestId('what-if-form').waitFor();
    await staff.getByLabel('System').selectOption('f-16');
    await staff.getByLabel('Quantity').fill('0');
    await staff.getByLabel('Delivery from').fill(`${year + 1}-06-01`);
    await staff.getByLabel('Delivery to').fill(`${year + 1}-12-31`);
    await staff.getByRole('button', { name: 'Show readiness' }).click();
    await expect(staff.getByTestId('error-items.0.quantity').textContent()).resolves.toContain('positive');

    await staff.getByLabel('Quantity').fill('2');
    await staff.getByRole('button', { name: 'Show readiness' }).click();
    const row = staff.getByTestId('what-if-group').first();
    await row.waitFor({ timeout: 60_000 });
    await expect(row.textContent()).resolves.toContain('Item 1');
    await expect(staff.getByTestId('what-if-summary').textContent()).resolves.toMatch(
      /would be ready by delivery/,
    );
    await screenshot(staff, 'training-what-if-result');
    await staff.close();
  });

  it('when a commander opens a pending pledge, then its what-if runs from the pledge page', async () => {
    const api = await stack.as('staff');
    const created = await api.post('/api/v1/pledges', {
      donor: 'NLD',
      items: [
        {
          systemId: 'f-16',
          quantity: 2,
          deliveryWindow: { from: `${year + 1}-06-01`, to: `${year + 1}-12-31` },
        },
      ],
      trainingOffered: true,
    });
    expect(created.status).toBe(202);
    const commander = await loginAs(browser.context, stack.url, 'commander');
    await commander.goto(`${stack.url}/pledges/${created.body.id}`);
    await commander.getByRole('link', { name: 'What if approved now' }).click();
    const row = commander.getByTestId('what-if-group').first();
    await row.waitFor({ timeout: 60_000 });
    await expect(row.textContent()).resolves.toContain(`Pledge ${created.body.id}`);
    await commander.close();
  });
});
