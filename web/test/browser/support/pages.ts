import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { screenshot } from './browser';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

export const WIDTHS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1440, height: 900 },
] as const;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (o: object) => Promise<{
            violations: Array<{ id: string; impact: string | null; help: string; nodes: unknown[] }>;
          }>;
        };
      }
    ).axe;
    const result = await axe.run({ resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  });
}

/** How far the page is wider than the window (0 when nothing spills sideways). */
export const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/**
 * The moment the page's network went quiet, in ms from the start of navigation: the end of the last response
 * (the page, its scripts and every API call it made), read from the browser's own Resource Timing.
 */
export const networkIdleMs = (page: Page) =>
  page.evaluate(() => {
    const ends = performance
      .getEntriesByType('resource')
      .map((e) => (e as PerformanceResourceTiming).responseEnd);
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return Math.round(Math.max(nav?.responseEnd ?? 0, ...ends));
  });

export interface PageCheck {
  page: string;
  width: number;
  overflow: number;
  violations: AxeViolation[];
}

/**
 * Opens `path` at each width, waits until `ready` shows and the network is quiet, then measures the sideways
 * overflow, runs axe and saves a screenshot `<name>-<phone|desktop>.png`.
 */
export async function checkPage(
  page: Page,
  url: string,
  name: string,
  ready: string,
  { screenshots = true }: { screenshots?: boolean } = {},
): Promise<PageCheck[]> {
  const out: PageCheck[] = [];
  for (const w of WIDTHS) {
    await page.setViewportSize({ width: w.width, height: w.height });
    await page.goto(url);
    await page.locator(ready).first().waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.waitForTimeout(300);
    out.push({
      page: name,
      width: w.width,
      overflow: await overflow(page),
      violations: await seriousViolations(page),
    });
    if (screenshots) await screenshot(page, `${name}-${w.name}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  return out;
}
