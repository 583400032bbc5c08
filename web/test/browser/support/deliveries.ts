import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { Milestones, type Milestone } from '../../../../domain/delivery-lots';

// Under load a milestone (a Temporal Update) can take seconds to show; the default 1 s poll is too short.
const POLL = { timeout: 30_000 };

/** A lot on the pledge page. */
export const lotOnPage = (page: Page, lotId: string) =>
  page.locator(`[data-testid="delivery-lot"][data-lot-id="${lotId}"]`);

/** The lot ids on the pledge page, in order. */
export const lotIdsOnPage = (page: Page) =>
  page.getByTestId('delivery-lot').evaluateAll((lots) => lots.map((l) => l.getAttribute('data-lot-id')!));

/**
 * Records each remaining milestone of the lot on the pledge page as the delivery cell does, dated today (the form's
 * default), with a place, until it is received; each form offers exactly the lot's next milestone.
 */
export async function recordLotToReceived(page: Page, lotId: string, location = 'Rzeszów hub') {
  const lot = lotOnPage(page, lotId);
  await lot.waitFor({ timeout: 60_000 });
  for (;;) {
    const state = (await lot.getAttribute('data-state')) as Milestone | 'planned';
    const next = Milestones[Milestones.indexOf(state as Milestone) + 1];
    if (!next) break;
    const form = lot.getByTestId('milestone-form');
    await form.waitFor();
    expect(await form.getByTestId('milestone-state').getAttribute('readonly')).not.toBeNull();
    await form.getByLabel('Place (optional)').fill(location);
    await form.getByTestId('record-milestone').click();
    await expect.poll(() => lot.getAttribute('data-state'), POLL).toBe(next);
  }
  expect(await lot.getByTestId('milestone-form').count()).toBe(0);
}
