import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type Stack } from '../../../test/support/stack';
import type { HttpClient } from '../../../test/support/http';
import {
  assertWebBuilt,
  launchBrowser,
  loginAs,
  reloadUntilVisible,
  screenshot,
  type Browser,
} from './support/browser';

// Under load a decision (a Temporal Update) can take seconds to show; the default 1 s poll is too short.
const POLL = { timeout: 30_000 };

const year = new Date().getUTCFullYear() + 1;
const delivery = { from: `${year}-06-01`, to: `${year}-12-31` };

/** Which user decides a step held by a role (the demo users). */
const userForRole: Record<string, string> = {
  training_coordinator: 'trainer',
  chief_of_staff: 'cos',
  commander: 'commander',
  deputy_commander: 'deputy',
  saceur: 'saceur',
};
const IN_FLIGHT = ['SUBMITTED', 'UNDER_REVIEW', 'TRAINING_PLANNING', 'AWAITING_APPROVAL'];

interface TaskView {
  id: string;
  kind: string;
  candidateRoles: string[];
}

describe('the web app, driven in Chromium against the real stack', () => {
  let stack: Stack;
  let browser: Browser;
  let admin: HttpClient;
  let pledgeId = '';
  const stagesRun: string[] = [];

  beforeAll(async () => {
    assertWebBuilt();
    stack = await startStack('web', { jobsWorker: 'inline' });
    admin = await stack.as('admin');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    console.log(`browser story: stages run in the browser: ${stagesRun.join(', ') || 'none'}`);
    await browser?.close();
    await stack?.stop();
  });

  /** The next open task on the pledge, or undefined once the pledge leaves the stages that have human steps. */
  async function nextOpenTask(id: string, timeoutMs = 90_000): Promise<TaskView | undefined> {
    return eventually(
      async () => {
        const tasks = await admin.get(`/api/v1/tasks?pledgeId=${id}&state=open`);
        const task = (tasks.body.items as TaskView[]).find((t) => t.kind !== 'revision');
        if (task) return task;
        const pledge = await admin.get(`/api/v1/pledges/${id}`);
        return IN_FLIGHT.includes(pledge.body.status) ? undefined : ({ kind: 'none' } as TaskView);
      },
      { timeoutMs, intervalMs: 500 },
    )
      .then((t) => (t.kind === 'none' ? undefined : t))
      .catch(() => undefined);
  }

  /** Opens the task from the user's inbox and submits the decision; returns the pledge status it reports. */
  async function decideFromInbox(
    page: Page,
    task: TaskView,
    decision: string,
    opts: { comment?: string; conditions?: string[]; shot?: string } = {},
  ) {
    await page.goto(`${stack.url}/inbox`);
    const row = page.locator(`[data-testid="task-row"][data-task-id="${task.id}"]`);
    await reloadUntilVisible(page, row);
    if (opts.shot) await screenshot(page, opts.shot);
    await row.locator('a').first().click();
    await page.getByTestId('decision-form').waitFor();
    await page.locator(`input[name="decision"][value="${decision}"]`).check();
    for (const condition of opts.conditions ?? []) {
      await page.getByPlaceholder(/spare-parts pool/).fill(condition);
      await page.getByRole('button', { name: 'Add condition' }).click();
    }
    if (opts.comment) await page.getByRole('textbox', { name: /^Comment/ }).fill(opts.comment);
    await page.getByTestId('submit-decision').click();
    const result = page.getByTestId('decision-result');
    await result.waitFor({ timeout: 60_000 });
    return result.getAttribute('data-status');
  }

  it('when each role does its part in the browser, then a Mirage 2000 pledge goes from submission through review (and the later stages that exist)', async () => {
    // liaison.fra submits the pledge.
    const fra = await loginAs(browser.context, stack.url, 'liaison.fra');
    await expect.poll(() => fra.getByTestId('current-nation').textContent(), POLL).toBe('FRA');
    await expect.poll(() => fra.getByTestId('current-roles').textContent(), POLL).toContain('Donor liaison');
    await fra.getByRole('link', { name: 'Submit a pledge' }).click();
    await fra.getByLabel('Find a system in the catalogue').fill('Mirage');
    await fra.getByTestId('add-system-mirage-2000-5').click();
    await fra.locator('[id="field-items.0.quantity"]').fill('6');
    await fra.locator('[id="field-items.0.deliveryWindow.from"]').fill(delivery.from);
    await fra.locator('[id="field-items.0.deliveryWindow.to"]').fill(delivery.to);
    await fra.getByLabel('The donor offers training').check();
    await fra.getByLabel('Spare parts included').check();
    await fra.getByLabel('Years of maintenance support').fill('2');
    await fra.getByLabel('Value (EUR, optional)').fill('450000000');
    await fra.getByLabel('Notes (optional)').fill('Six Mirage 2000-5F with an initial spare-parts package');
    await fra.getByTestId('submit-pledge').click();
    await fra.waitForURL(/\/pledges\/PL[0-9A-Z]+$/);
    pledgeId = new URL(fra.url()).pathname.split('/').pop()!;
    await fra
      .locator('[data-testid="pledge-detail"][data-status="UNDER_REVIEW"]')
      .waitFor({ timeout: 60_000 });

    // The reviewer sees the fragmentation finding naming F-16, claims the task and accepts with a condition.
    const reviewer = await loginAs(browser.context, stack.url, 'reviewer');
    const review = await nextOpenTask(pledgeId);
    expect(review?.kind).toBe('compatibility_review');
    await reviewer.goto(`${stack.url}/inbox`);
    const row = reviewer.locator(`[data-testid="task-row"][data-task-id="${review!.id}"]`);
    await reloadUntilVisible(reviewer, row);
    await screenshot(reviewer, 'inbox');
    await row.locator('a').first().click();
    const fragmentation = reviewer.locator('[data-testid="finding"][data-code="FLEET_FRAGMENTATION"]');
    await expect.poll(() => fragmentation.textContent(), POLL).toContain('F-16');
    await expect
      .poll(() => fragmentation.textContent(), POLL)
      .toContain('Adds another type to a fleet Ukraine already runs');
    await screenshot(reviewer, 'task-review');
    await reviewer.getByTestId('claim').click();
    await expect.poll(() => reviewer.getByTestId('task-assignee').textContent(), POLL).toContain('reviewer');
    await reviewer.locator('input[name="decision"][value="accept_with_conditions"]').check();
    await reviewer.getByTestId('submit-decision').click();
    // A "with conditions" decision needs a condition: the form says so and sends nothing.
    await expect
      .poll(() => reviewer.getByTestId('decision-problem').textContent(), POLL)
      .toContain('needs at least one condition');
    await reviewer
      .getByPlaceholder(/spare-parts pool/)
      .fill('France provides a Mirage spare-parts pool for 2 years');
    await reviewer.getByRole('button', { name: 'Add condition' }).click();
    await reviewer
      .getByRole('textbox', { name: /^Comment/ })
      .fill('A sixth fighter family: accepted with sustainment conditions');
    await reviewer.getByTestId('submit-decision').click();
    await reviewer.getByTestId('decision-result').waitFor({ timeout: 60_000 });
    expect(await reviewer.getByTestId('decision-result').getAttribute('data-status')).toBe(
      'TRAINING_PLANNING',
    );
    stagesRun.push('compatibility_review:reviewer');

    // Later stages run when the engine has them: each opens a task for a role, whose user decides it here.
    const signed: string[] = [];
    for (let step = 0; step < 8; step++) {
      const task = await nextOpenTask(pledgeId);
      if (!task) break;
      const role = task.candidateRoles.find((r) => userForRole[r]);
      if (!role || !['training_plan_confirmation', 'command_approval'].includes(task.kind)) break;
      const username = userForRole[role];
      const page = await loginAs(browser.context, stack.url, username);
      const decision = task.kind === 'training_plan_confirmation' ? 'confirm' : 'approve';
      if (task.kind === 'training_plan_confirmation') {
        await page.goto(`${stack.url}/tasks/${task.id}`);
        await page.getByTestId('training-gantt').waitFor();
      }
      await decideFromInbox(page, task, decision, { comment: `${decision} (browser test, ${username})` });
      stagesRun.push(`${task.kind}:${username}`);
      if (task.kind === 'command_approval') signed.push(username);
      await page.close();
    }

    // The whole pledge on one page, as the donor sees it.
    await fra.goto(`${stack.url}/pledges/${pledgeId}`);
    await fra.getByTestId('pledge-detail').waitFor();
    await expect
      .poll(() => fra.locator('[data-testid="finding"][data-code="FLEET_FRAGMENTATION"]').textContent(), POLL)
      .toContain('F-16');
    await expect
      .poll(() => fra.getByTestId('review-decision').textContent(), POLL)
      .toContain('France provides a Mirage spare-parts pool');
    await expect
      .poll(() => fra.getByTestId('timeline').textContent(), POLL)
      .toContain('Review accept with conditions');
    await expect.poll(() => fra.getByTestId('audit-trail').textContent(), POLL).toContain('review.accepted');
    const pledge = (await admin.get(`/api/v1/pledges/${pledgeId}`)).body;
    if (pledge.trainingPlan?.cohorts?.length) {
      await fra.getByTestId('training-gantt').waitFor();
      expect(
        await fra.locator('[data-testid="training-gantt"] .recharts-reference-line').count(),
      ).toBeGreaterThan(0);
    }
    if (signed.length) {
      expect(['APPROVED', 'IN_TRAINING', 'READY']).toContain(pledge.status);
      const steps = fra.locator('[data-testid="approval-step"]');
      await expect.poll(() => steps.count(), POLL).toBeGreaterThanOrEqual(2);
      for (const s of await steps.all()) expect(await s.getAttribute('data-signature-valid')).toBe('true');
    }
    await fra.waitForTimeout(500);
    await screenshot(fra, 'pledge-detail');
    await fra.setViewportSize({ width: 820, height: 1180 });
    await fra.waitForTimeout(300);
    await screenshot(fra, 'pledge-detail-tablet');

    // The dashboard, as NSATU staff see it.
    const staff = await loginAs(browser.context, stack.url, 'staff');
    await staff.goto(`${stack.url}/dashboard`);
    await staff.getByTestId('dashboard').waitFor();
    await expect.poll(() => staff.getByTestId('kpi-pledges').textContent(), POLL).toMatch(/[1-9]/);
    await staff.locator('#fragmentation .recharts-bar-rectangle').first().waitFor();
    await staff.waitForTimeout(500);
    await screenshot(staff, 'dashboard');
  });

  it('when liaison.deu looks for the French pledge, then it is nowhere: not in the list, not by search, not by its address, not in the inbox', async () => {
    expect(pledgeId).not.toBe('');
    const deu = await loginAs(browser.context, stack.url, 'liaison.deu');
    await deu.goto(`${stack.url}/pledges`);
    await deu.locator('[data-testid="pledge-table"], .empty').first().waitFor();
    expect(await deu.locator(`[data-pledge-id="${pledgeId}"]`).count()).toBe(0);
    await deu.getByLabel('Search').fill('Mirage');
    await deu.waitForURL(/q=Mirage/);
    await deu.locator('[data-testid="pledge-table"], .empty').first().waitFor();
    expect(await deu.locator(`[data-pledge-id="${pledgeId}"]`).count()).toBe(0);
    await deu.goto(`${stack.url}/pledges/${pledgeId}`);
    await expect.poll(() => deu.getByRole('alert').first().textContent(), POLL).toMatch(/not found/i);
    expect(await deu.getByTestId('pledge-detail').count()).toBe(0);
    await deu.goto(`${stack.url}/inbox?state=completed`);
    await deu.locator('[data-testid="task-table"], .empty').first().waitFor();
    expect(await deu.locator(`[data-pledge-id="${pledgeId}"]`).count()).toBe(0);
    await deu.close();
  });

  it('when the pledge form has bad input, then the errors show at the fields, as you type and from the server, and nothing is created', async () => {
    const before = (await admin.get('/api/v1/pledges?limit=200')).body.items.length;
    const fra = await loginAs(browser.context, stack.url, 'liaison.fra');
    const posts: string[] = [];
    fra.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/pledges') posts.push(r.url());
    });
    await fra.goto(`${stack.url}/pledges/new`);
    expect(await fra.getByLabel('Donor nation (ISO alpha-3)').inputValue()).toBe('FRA');

    // Nothing chosen: the schema's own message, at the items.
    await fra.getByTestId('submit-pledge').click();
    await expect
      .poll(() => fra.getByTestId('error-items').textContent(), POLL)
      .toContain('at least one item');

    // As you type: a quantity of 0 and a window that ends before it starts.
    await fra.getByLabel('Find a system in the catalogue').fill('F-16');
    await fra.getByTestId('add-system-f-16').click();
    await fra.locator('[id="field-items.0.quantity"]').fill('0');
    await expect
      .poll(() => fra.getByTestId('error-items.0.quantity').textContent(), POLL)
      .toContain('must be positive');
    await fra.locator('[id="field-items.0.deliveryWindow.from"]').fill(`${year}-09-01`);
    await fra.locator('[id="field-items.0.deliveryWindow.to"]').fill(`${year}-03-01`);
    await expect
      .poll(() => fra.getByTestId('error-items.0.deliveryWindow.to').textContent(), POLL)
      .toContain('must not end before it starts');
    expect(await fra.locator('[id="field-items.0.quantity"]').getAttribute('aria-invalid')).toBe('true');
    await fra.getByTestId('submit-pledge').click();
    await expect.poll(() => fra.getByTestId('form-errors').textContent(), POLL).toContain('Please correct');
    expect(posts).toHaveLength(0);

    // Valid for the schema but not for the engine (delivery in the past): the server's error, at its field.
    await fra.locator('[id="field-items.0.quantity"]').fill('4');
    await fra.locator('[id="field-items.0.deliveryWindow.from"]').fill('2020-01-01');
    await fra.locator('[id="field-items.0.deliveryWindow.to"]').fill('2020-06-30');
    expect(await fra.getByTestId('error-items.0.quantity').count()).toBe(0);
    await fra.getByTestId('submit-pledge').click();
    await expect
      .poll(() => fra.getByTestId('error-items.0.deliveryWindow.to').textContent(), POLL)
      .toContain('in the past');
    expect(posts).toHaveLength(1);
    expect(fra.url()).toMatch(/\/pledges\/new$/);
    await screenshot(fra, 'pledge-form-errors');

    const after = (await admin.get('/api/v1/pledges?limit=200')).body.items.length;
    expect(after).toBe(before);
    await fra.close();
  });

  it('when staff import a CSV with one bad row, then the good rows are created, the bad one is reported and progress shows (or the page says import is not available yet)', async () => {
    const staff = await loginAs(browser.context, stack.url, 'staff');
    await staff.goto(`${stack.url}/import`);
    const csv = [
      'donor,systemId,quantity,deliveryFrom,deliveryTo,trainingOffered,spareParts,maintenanceYears,valueEur,notes',
      `POL,leopard-2a4,10,${delivery.from},${delivery.to},true,true,3,120000000,first good row`,
      `NLD,pzh-2000,4,${delivery.from},${delivery.to},false,true,2,40000000,second good row`,
      `DNK,no-such-system,0,${delivery.to},${delivery.from},false,false,0,,bad row`,
    ].join('\n');
    await staff.getByLabel('…or paste the CSV').fill(csv);
    await staff.getByTestId('start-import').click();
    const unavailable = staff.getByTestId('unavailable');
    const job = staff.getByTestId('import-job');
    await unavailable.or(job).first().waitFor({ timeout: 30_000 });
    if (await unavailable.isVisible()) {
      console.log('bulk import: POST /api/v1/imports/pledges is not there yet; the page says so');
      await expect.poll(() => unavailable.textContent(), POLL).toContain('Bulk import');
      return;
    }
    stagesRun.push('bulk_import:staff');
    await staff.getByTestId('import-done').waitFor({ timeout: 120_000 });
    expect(await staff.getByTestId('import-progress').getAttribute('value')).toBe('100');
    expect(await staff.locator('[data-testid="import-row"][data-status="created"]').count()).toBe(2);
    const bad = staff.locator('[data-testid="import-row"][data-status="failed"]');
    expect(await bad.count()).toBe(1);
    await screenshot(staff, 'bulk-import');
  });

  it('when a commander decides a command approval, then the browser signs the payload with a non-extractable Ed25519 key kept in IndexedDB (approval routes stubbed in the page)', async () => {
    // The approval routes (issue 5) are stubbed in this tab only, so the signing client is proven even
    // before they exist; the story above drives the real ones once they do.
    expect(pledgeId).not.toBe('');
    const page = await loginAs(browser.context, stack.url, 'commander');
    const taskId = `${pledgeId}-approval-commander-stub`;
    const task = {
      id: taskId,
      kind: 'command_approval',
      pledgeId,
      candidateRoles: ['commander'],
      assignee: null,
      priority: 'high',
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      createdAt: new Date().toISOString(),
      state: 'open',
      title: `Command approval of pledge ${pledgeId} (FRA)`,
      comments: [],
    };
    const registered: JsonWebKey[] = [];
    const completions: Array<{
      decision: string;
      comment?: string;
      conditions?: string[];
      signature: string;
      keyId: string;
    }> = [];
    const payloads: string[] = [];
    const json = (route: Route, status: number, body: unknown) =>
      route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
    await page.route(
      (url) => url.pathname === `/api/v1/tasks/${taskId}`,
      (route) => json(route, 200, task),
    );
    // Key registration goes to the engine when it has the route; otherwise it is stubbed too.
    const keyIds: string[] = [];
    await page.route(
      (url) => url.pathname === '/api/v1/me/keys',
      async (route) => {
        registered.push(route.request().postDataJSON().publicKey);
        const real = await route.fetch();
        const body = real.status() === 404 ? { keyId: 'stub-key-1' } : await real.json();
        keyIds.push(body.keyId);
        return json(route, real.status() === 404 ? 201 : real.status(), body);
      },
    );
    await page.route(
      (url) => url.pathname === `/api/v1/tasks/${taskId}/signing-payload`,
      (route) => {
        const q = new URL(route.request().url()).searchParams;
        const payload = JSON.stringify({
          task: taskId,
          pledge: pledgeId,
          decision: q.get('decision'),
          comment: q.get('comment'),
          conditions: q.getAll('conditions'),
          note: 'Ünïcödé ✓',
        });
        payloads.push(payload);
        return json(route, 200, { payload });
      },
    );
    await page.route(
      (url) => url.pathname === `/api/v1/tasks/${taskId}/complete`,
      (route) => {
        completions.push(route.request().postDataJSON());
        return json(route, 200, {
          task: { ...task, state: 'completed' },
          pledge: { id: pledgeId, status: 'APPROVED' },
        });
      },
    );

    const decide = async (decision: string, comment: string, conditions: string[] = []) => {
      await page.goto(`${stack.url}/tasks/${taskId}`);
      await page.getByTestId('decision-form').waitFor();
      await page.locator(`input[name="decision"][value="${decision}"]`).check();
      for (const c of conditions) {
        await page.getByPlaceholder(/spare-parts pool/).fill(c);
        await page.getByRole('button', { name: 'Add condition' }).click();
      }
      await page.getByRole('textbox', { name: /^Comment/ }).fill(comment);
      await page.getByTestId('submit-decision').click();
      await page.getByTestId('decision-result').waitFor();
    };
    await decide('approve_with_conditions', 'Approved for the Air Force coalition', [
      'Spare-parts pool in place before delivery',
    ]);
    await screenshot(page, 'task-command-approval');
    await decide('approve', 'Second decision with the same key');

    // The key is made once; it is registered (idempotently) before each signature.
    expect(registered).toHaveLength(2);
    expect(registered[1]).toEqual(registered[0]);
    expect(registered[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(registered[0]).not.toHaveProperty('d');
    const publicKey = createPublicKey({ key: registered[0], format: 'jwk' });
    expect(completions).toHaveLength(2);
    expect(keyIds[1]).toBe(keyIds[0]);
    completions.forEach((c, i) => {
      expect(c.keyId).toBe(keyIds[0]);
      expect(c.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
      expect(
        verify(null, Buffer.from(payloads[i], 'utf8'), publicKey, Buffer.from(c.signature, 'base64url')),
      ).toBe(true);
    });
    expect(JSON.parse(payloads[0])).toMatchObject({
      decision: 'approve_with_conditions',
      comment: 'Approved for the Air Force coalition',
      conditions: ['Spare-parts pool in place before delivery'],
    });
    expect(completions[0]).toMatchObject({
      decision: 'approve_with_conditions',
      conditions: ['Spare-parts pool in place before delivery'],
    });

    const stored = await page.evaluate(
      () =>
        new Promise<{ extractable: boolean; algorithm: string; keyId: string } | null>((resolve, reject) => {
          const open = indexedDB.open('nsatu-signing');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const get = open.result
              .transaction('keys')
              .objectStore('keys')
              .get(`${location.origin}|commander`);
            get.onsuccess = () => {
              const key = get.result as { keyPair: CryptoKeyPair; keyId: string } | undefined;
              resolve(
                key
                  ? {
                      extractable: key.keyPair.privateKey.extractable,
                      algorithm: key.keyPair.privateKey.algorithm.name,
                      keyId: key.keyId,
                    }
                  : null,
              );
            };
          };
        }),
    );
    expect(stored).toEqual({ extractable: false, algorithm: 'Ed25519', keyId: keyIds[0] });
    await page.close();
  });
});
