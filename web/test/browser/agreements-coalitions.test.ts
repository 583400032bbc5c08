import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../../test/support/stack';
import { assertWebBuilt, launchBrowser, loginAs, type Browser } from './support/browser';
import { checkPage } from './support/pages';

describe('agreement and coalition pages, in Chromium against the real stack', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    assertWebBuilt();
    stack = await startStack('web-agreements');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("when France's liaison opens its agreement, then it sees the chart and the years, readable at every width", async () => {
    const page = await loginAs(browser.context, stack.url, 'liaison.fra');
    await page.getByRole('link', { name: 'Agreements' }).click();
    const rows = page.getByTestId('agreement-table').locator('tbody tr');
    await rows.first().waitFor();
    // A liaison sees its own nation's agreements only.
    expect(await rows.count()).toBe(1);
    await rows.first().getByRole('link').click();
    await page.getByTestId('agreement-fulfilment').waitFor();
    const chart = page.getByRole('img', { name: /Bar chart: 2024: committed/ });
    await chart.waitFor();
    expect(await chart.locator('svg').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('agreement-fulfilment').locator('tbody tr').count()).toBe(10);
    expect(await page.getByTestId('agreement-fulfilment').textContent()).toContain('Not public');

    const checks = await checkPage(page, page.url(), 'agreement', '[data-testid="agreement-fulfilment"]');
    for (const c of checks) {
      expect(c.violations, `${c.page} at ${c.width}px`).toEqual([]);
      expect(c.overflow, `${c.page} at ${c.width}px`).toBeLessThanOrEqual(1);
    }
  });

  it("when the reviewer opens the coalitions, then the air-defence page shows its leads, nations and Ukraine's requirements for it", async () => {
    const ukr = await stack.as('liaison.ukr');
    const stated = await ukr.post('/api/v1/requirements', {
      capability: { family: 'IRIS-T' },
      quantity: 6,
      priority: 1,
      neededBy: '2027-06-30',
      justification: 'Air defence of Odesa port',
    });
    expect(stated.status).toBe(201);
    const guns = await ukr.post('/api/v1/requirements', {
      capability: { category: 'howitzer' },
      quantity: 40,
      priority: 1,
      neededBy: '2027-06-30',
      justification: 'Counter-battery fire',
    });
    expect(guns.status).toBe(201);
    const page = await loginAs(browser.context, stack.url, 'reviewer');
    await page.getByRole('link', { name: 'Coalitions' }).click();
    await page.getByRole('link', { name: 'Integrated Air and Missile Defence Coalition' }).click();
    const nations = page.getByTestId('coalition-nations');
    await nations.waitFor();
    expect(await nations.textContent()).toContain('DEU');
    const requirements = page.getByRole('region', { name: "Ukraine's open requirements" });
    await requirements.locator(`[data-requirement-id="${stated.body.id}"]`).waitFor();
    expect(await requirements.locator(`[data-requirement-id="${guns.body.id}"]`).count()).toBe(0);
    expect(await requirements.locator(`[data-requirement-id="${stated.body.id}"]`).textContent()).toContain('6');
    const checks = await checkPage(page, page.url(), 'coalition', '[data-testid="coalition-nations"]');
    for (const c of checks) expect(c.violations, `${c.page} at ${c.width}px`).toEqual([]);
  });
});
