import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../../test/support/stack';
import { assertWebBuilt, launchBrowser, loginAs, type Browser } from './support/browser';
import { checkPage } from './support/pages';

// Under load a write can take seconds to show; the default 1 s poll is too short.
const POLL = { timeout: 30_000 };

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

  it("when France's liaison records a second agreement's years and edits a year's figure, then the page shows the new figures, and an empty figure stays 'Not public'", async () => {
    const id = 'fra-2025-06-10';
    const page = await loginAs(browser.context, stack.url, 'liaison.fra');
    // What the form sends to the engine: nothing while the shared schema still finds a field wrong.
    const sent: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (r.method() !== 'GET' && path.startsWith('/api/v1/agreements')) sent.push(`${r.method()} ${path}`);
    });

    await page.getByRole('link', { name: 'Agreements' }).click();
    await page.getByRole('button', { name: 'Record an agreement' }).click();
    const form = page.getByTestId('agreement-form');
    await form.waitFor();
    // A liaison records its own nation's agreements only: the donor is set and cannot be changed.
    const donor = form.getByLabel('Donor nation');
    expect(await donor.inputValue()).toBe('FRA');
    expect(await donor.isEditable()).toBe(false);
    await form.getByLabel('Signed on').fill('2025-06-10');
    await form.getByLabel('Term in years').fill('3');

    // The first year added is the year of signature, the next the year after; 2026's figure is not public.
    const rows = form.getByTestId('commitment-row');
    await form.getByRole('button', { name: 'Add a year' }).click();
    expect(await rows.nth(0).getByLabel('Year', { exact: true }).inputValue()).toBe('2025');
    await rows.nth(0).getByLabel('Value in EUR').fill('1500000000');
    await form.getByRole('button', { name: 'Add a year' }).click();
    expect(await rows.nth(1).getByLabel('Year', { exact: true }).inputValue()).toBe('2026');

    // The title is left blank: the field says so, and nothing is sent.
    await form.getByTestId('save-agreement').click();
    await expect.poll(() => form.getByTestId('error-title').textContent(), POLL).toContain('is required');
    expect(await form.getByLabel('Title', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(sent).toEqual([]);

    await form
      .getByLabel('Title', { exact: true })
      .fill('Agreement on long-term support between France and Ukraine');
    await form.getByTestId('save-agreement').click();
    await page.waitForURL(new RegExp(`/agreements/${id}$`));
    expect(sent).toEqual(['POST /api/v1/agreements']);
    // Every year of the term, the committed figure in its second cell.
    const years = page.getByTestId('agreement-fulfilment').locator('tbody tr');
    const committed = (i: number) => years.nth(i).locator('td').nth(1).textContent();
    await expect.poll(() => years.count(), POLL).toBe(3);
    expect(await committed(0)).toMatch(/^€1\.5\s?bn$/);
    expect(await committed(1)).toBe('Not public');

    // The edit starts from the agreement as recorded: 2026's figure is still empty, not 0.
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.waitForURL(new RegExp(`/agreements/${id}/edit$`));
    const edit = page.getByTestId('agreement-form');
    const editRows = edit.getByTestId('commitment-row');
    await expect.poll(() => editRows.count(), POLL).toBe(2);
    expect(await editRows.nth(0).getByLabel('Value in EUR').inputValue()).toBe('1500000000');
    expect(await editRows.nth(1).getByLabel('Value in EUR').inputValue()).toBe('');
    expect(await edit.getByLabel('Donor nation').count()).toBe(0);
    await editRows.nth(0).getByLabel('Value in EUR').fill('2500000000');
    // Two years added, the one too many removed by its own button; 2027's figure is given.
    await edit.getByRole('button', { name: 'Add a year' }).click();
    await edit.getByRole('button', { name: 'Add a year' }).click();
    expect(await editRows.nth(3).getByLabel('Year', { exact: true }).inputValue()).toBe('2028');
    await edit.getByRole('button', { name: 'Remove 2028' }).click();
    expect(await editRows.count()).toBe(3);
    await editRows.nth(2).getByLabel('Value in EUR').fill('1200000000');
    await edit.getByTestId('save-agreement').click();
    await page.waitForURL(new RegExp(`/agreements/${id}$`));
    expect(sent).toEqual(['POST /api/v1/agreements', `PATCH /api/v1/agreements/${id}`]);
    await expect.poll(() => committed(0), POLL).toMatch(/^€2\.5\s?bn$/);
    expect(await committed(1)).toBe('Not public');
    expect(await committed(2)).toMatch(/^€1\.2\s?bn$/);

    // As recorded: the empty figure is null (not public), never 0; no link given is none.
    const fra = await stack.as('liaison.fra');
    const recorded = await fra.get(`/api/v1/agreements/${id}`);
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({ donor: 'FRA', termYears: 3, status: 'in_force', sourceUrl: null });
    expect(recorded.body.commitments).toEqual([
      { year: 2025, valueEur: 2_500_000_000 },
      { year: 2026, valueEur: null },
      { year: 2027, valueEur: 1_200_000_000 },
    ]);

    // Who may only read agreements is offered neither the form nor the edit.
    const auditor = await loginAs(browser.context, stack.url, 'auditor');
    await auditor.goto(`${stack.url}/agreements/${id}`);
    await auditor.getByTestId('agreement-fulfilment').waitFor();
    expect(await auditor.getByRole('link', { name: 'Edit', exact: true }).count()).toBe(0);
    await auditor.goto(`${stack.url}/agreements`);
    await auditor.getByTestId('agreement-table').waitFor();
    expect(await auditor.getByRole('button', { name: 'Record an agreement' }).count()).toBe(0);
    await auditor.close();

    const checks = [
      ...(await checkPage(
        page,
        `${stack.url}/agreements/new`,
        'agreement-form',
        '[data-testid="agreement-form"]',
      )),
      ...(await checkPage(
        page,
        `${stack.url}/agreements/${id}/edit`,
        'agreement-edit',
        '[data-testid="commitment-row"]',
      )),
    ];
    for (const c of checks) {
      expect(c.violations, `${c.page} at ${c.width}px`).toEqual([]);
      expect(c.overflow, `${c.page} at ${c.width}px`).toBeLessThanOrEqual(1);
    }
    await page.close();
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
    expect(await requirements.locator(`[data-requirement-id="${stated.body.id}"]`).textContent()).toContain(
      '6',
    );
    const checks = await checkPage(page, page.url(), 'coalition', '[data-testid="coalition-nations"]');
    for (const c of checks) expect(c.violations, `${c.page} at ${c.width}px`).toEqual([]);
  });
});
