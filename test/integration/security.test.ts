import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoalitionId } from '../../domain/schemas/reference';
import { defaultTaskPolicy } from '../../domain/schemas/task-policy';
import { SeparationRules } from '../../domain/tasks';
import { completeTaskUpdate } from '../../workflows/human-tasks';
import { httpClient, type HttpClient } from '../support/http';
import { registerSigner, signedDecision } from '../support/signing';
import { DEMO_PASSWORD, eventually, METRICS_TOKEN, startStack, type Stack } from '../support/stack';

const year = new Date().getUTCFullYear() + 1;
const caesars = (donor = 'FRA') => ({
  donor,
  items: [
    { systemId: 'caesar', quantity: 6, deliveryWindow: { from: `${year}-09-01`, to: `${year}-12-31` } },
  ],
  trainingOffered: true,
  sustainment: { spareParts: true, maintenanceYears: 3 },
  valueEur: 40_000_000,
});
const FAILURES_PER_ADDRESS = 15;

/**
 * The findings of the last attack review (the threat model in the README's Security section), each tried again
 * against a running engine: every one of them must be refused, and the refusal must say why.
 */
describe('security: what an attacker with a demo account tried is refused', () => {
  let stack: Stack;
  let admin: HttpClient, staff: HttpClient, reviewer: HttpClient, trainer: HttpClient;
  let fra: HttpClient, deu: HttpClient, auditor: HttpClient, commander: HttpClient;

  const openTask = (client: HttpClient, pledgeId: string, kind: string, exclude: string[] = []) =>
    eventually(async () => {
      const res = await client.get(`/api/v1/tasks?kind=${kind}&pledgeId=${pledgeId}`);
      return res.body.items.find((t: { id: string }) => !exclude.includes(t.id));
    });
  const submit = async (client: HttpClient, body = caesars()) => {
    const res = await client.post('/api/v1/pledges', body);
    expect(res.status).toBe(202);
    return res.body.id as string;
  };
  const createUser = async (username: string, roles: string[], nation: string | null = null) =>
    admin.post('/api/v1/admin/users', {
      username,
      displayName: username,
      password: `${username}-password-long`,
      roles,
      nation,
    });
  const logIn = (username: string, password: string, headers: Record<string, string> = {}) =>
    stack.anonymous.post('/api/v1/auth/login', { username, password }, headers);
  const publishTaskPolicy = async (version: number, changes: Partial<typeof defaultTaskPolicy>) =>
    stack.db.collection('policies').insertOne({
      kind: 'tasks',
      version,
      createdBy: 'test',
      document: { ...defaultTaskPolicy, ...changes, version },
    });

  beforeAll(async () => {
    stack = await startStack('security', {
      jobsWorker: 'inline',
      env: {
        // This engine refuses internal webhook targets, as production does.
        WEBHOOK_ALLOW_INTERNAL_ADDRESSES: 'false',
        LOGIN_FAILURES_PER_ADDRESS: String(FAILURES_PER_ADDRESS),
      },
    });
    [admin, staff, reviewer, trainer, fra, deu, auditor, commander] = await Promise.all(
      ['admin', 'staff', 'reviewer', 'trainer', 'liaison.fra', 'liaison.deu', 'auditor', 'commander'].map(
        (u) => stack.as(u),
      ),
    );
    // Second-scale SLAs so that reviews and revisions escalate within the test.
    await publishTaskPolicy(2, {
      compatibility_review: { slaSeconds: 4, remindBeforeDueSeconds: [], escalateToRoles: ['staff_officer'] },
      revision: { slaSeconds: 4, remindBeforeDueSeconds: [], escalateToRoles: ['staff_officer'] },
    });
  });
  afterAll(async () => stack?.stop());

  it('1. when tokens are forged with the demo secret (unknown user, no expiry, extra roles), then they get 401 or only the record’s roles', async () => {
    const { JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE } = stack.config;
    const secret = new TextEncoder().encode(JWT_SECRET);
    const token = (claims: Record<string, unknown>, subject: string, expires = true) => {
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(subject)
        .setIssuer(JWT_ISSUER)
        .setAudience(JWT_AUDIENCE)
        .setIssuedAt();
      return (expires ? jwt.setExpirationTime('1h') : jwt).sign(secret);
    };
    const ghost = httpClient(stack.url, await token({ roles: ['admin'], tv: 0 }, 'ghost'));
    const noExpiry = httpClient(stack.url, await token({ tv: 0 }, 'reviewer', false));
    const grandiose = httpClient(stack.url, await token({ roles: ['admin'], tv: 0 }, 'reviewer'));
    const ghostAnswer = await ghost.get('/api/v1/admin/users');
    expect(ghostAnswer.status).toBe(401);
    expect(ghostAnswer.headers.get('www-authenticate')).toBe('Bearer');
    expect((await noExpiry.get('/api/v1/tasks')).status).toBe(401);
    // Roles come from the user record: the token's claim of admin is ignored.
    expect((await grandiose.get('/api/v1/tasks')).status).toBe(200);
    expect((await grandiose.get('/api/v1/admin/users')).status).toBe(403);
  });

  it('2. when an admin deactivates a user, changes its roles or its password, then its old token stops working at once', async () => {
    expect((await createUser('analyst.sec', ['reviewer'])).status).toBe(201);
    const password = 'analyst.sec-password-long';
    const session = async (pw = password) => {
      const res = await logIn('analyst.sec', pw);
      expect(res.status).toBe(200);
      return httpClient(stack.url, res.body.token);
    };
    let analyst = await session();
    expect((await analyst.get('/api/v1/tasks')).status).toBe(200);
    expect((await admin.patch('/api/v1/admin/users/analyst.sec', { roles: ['auditor'] })).status).toBe(200);
    expect((await analyst.get('/api/v1/tasks')).status).toBe(401);

    analyst = await session();
    expect((await analyst.get('/api/v1/audit/verify')).status).toBe(200);
    expect((await admin.patch('/api/v1/admin/users/analyst.sec', { active: false })).status).toBe(200);
    expect((await analyst.get('/api/v1/audit/verify')).status).toBe(401);
    expect((await logIn('analyst.sec', password)).status).toBe(401);

    expect((await admin.patch('/api/v1/admin/users/analyst.sec', { active: true })).status).toBe(200);
    analyst = await session();
    const newPassword = 'a-new-and-longer-password';
    expect((await admin.patch('/api/v1/admin/users/analyst.sec', { password: newPassword })).status).toBe(
      200,
    );
    expect((await analyst.get('/api/v1/me')).status).toBe(401);
    expect((await (await session(newPassword)).get('/api/v1/me')).status).toBe(200);
  });

  it('2. when a signing key is registered, then the password is asked again: missing is 400, wrong is 401', async () => {
    const cos = await stack.as('cos');
    const { generateKeyPairSync } = await import('node:crypto');
    const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    const missing = await cos.post('/api/v1/me/keys', { publicKey });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toContainEqual(expect.objectContaining({ path: 'password' }));
    expect((await cos.post('/api/v1/me/keys', { publicKey, password: 'not-the-password' })).status).toBe(401);
    expect((await cos.post('/api/v1/me/keys', { publicKey, password: DEMO_PASSWORD })).status).toBe(201);
    expect((await cos.get('/api/v1/me/keys')).body.items).toHaveLength(1);
  });

  it('3. when an admin gives one user two approval-chain roles, then 422 names the separation-of-duties rule', async () => {
    const created = await createUser('cos.and.commander', ['chief_of_staff', 'commander']);
    expect(created.status).toBe(422);
    expect(created.body.error.message).toContain(SeparationRules.oneChainRole);
    const patched = await admin.patch('/api/v1/admin/users/cos', {
      roles: ['chief_of_staff', 'deputy_commander'],
    });
    expect(patched.status).toBe(422);
    expect(patched.body.error.details).toContainEqual(expect.objectContaining({ path: 'roles' }));
  });

  it('3. when the submitter also holds the reviewer role, then it may neither claim nor decide the review of its own pledge (403 naming the rule)', async () => {
    expect((await createUser('staff.reviewer', ['staff_officer', 'reviewer'])).status).toBe(201);
    // A reviewer of every coalition: the candidate of the review, so only the separation rule can refuse it.
    const reviewsAll = await admin.patch('/api/v1/admin/users/staff.reviewer', {
      coalitions: CoalitionId.options,
    });
    expect(reviewsAll.status).toBe(200);
    const res = await logIn('staff.reviewer', 'staff.reviewer-password-long');
    const both = httpClient(stack.url, res.body.token);
    const id = await submit(both);
    const review = await openTask(reviewer, id, 'compatibility_review');
    const claim = await both.post(`/api/v1/tasks/${review.id}/claim`);
    expect(claim.status).toBe(403);
    expect(claim.body.error.message).toBe(SeparationRules.submitter);
    const decide = await both.post(`/api/v1/tasks/${review.id}/complete`, { decision: 'accept' });
    expect(decide.status).toBe(403);
    expect(decide.body.error.message).toBe(SeparationRules.submitter);
    expect((await reviewer.post(`/api/v1/tasks/${review.id}/complete`, { decision: 'accept' })).status).toBe(
      200,
    );
  });

  it('3. when an overdue review escalates to staff, then the staff officer who submitted the pledge is still kept off it', async () => {
    const id = await submit(staff);
    const escalated = await eventually(async () => {
      const task = await openTask(reviewer, id, 'compatibility_review');
      return task.escalated ? task : undefined;
    });
    expect(escalated.candidateRoles).toContain('staff_officer');
    const claim = await staff.post(`/api/v1/tasks/${escalated.id}/claim`);
    expect(claim.status).toBe(403);
    expect(claim.body.error.message).toBe(SeparationRules.submitter);
    expect(
      (await reviewer.post(`/api/v1/tasks/${escalated.id}/complete`, { decision: 'accept' })).status,
    ).toBe(200);
  });

  it('3, 8, 9. when one person holding two chain roles (allowed by policy) signed step one, then step two refuses them; a decision sent straight to Temporal is verified by the workflow too', async () => {
    await publishTaskPolicy(3, {
      compatibility_review: defaultTaskPolicy.compatibility_review,
      revision: { slaSeconds: 4, remindBeforeDueSeconds: [], escalateToRoles: ['staff_officer'] },
      separationOfDuties: { enabled: true, allowMultipleChainRoles: true },
    });
    expect((await createUser('cos.commander', ['chief_of_staff', 'commander'])).status).toBe(201);
    const both = httpClient(
      stack.url,
      (await logIn('cos.commander', 'cos.commander-password-long')).body.token,
    );
    const bothKey = await registerSigner(both, 'cos.commander-password-long');
    const commanderKey = await registerSigner(commander);

    const id = await submit(fra);
    const review = await openTask(reviewer, id, 'compatibility_review');
    expect((await reviewer.post(`/api/v1/tasks/${review.id}/complete`, { decision: 'accept' })).status).toBe(
      200,
    );
    const plan = await openTask(trainer, id, 'training_plan_confirmation');
    expect((await trainer.post(`/api/v1/tasks/${plan.id}/complete`, { decision: 'confirm' })).status).toBe(
      200,
    );
    const first = await openTask(both, id, 'command_approval');
    const byBoth = await both.post(
      `/api/v1/tasks/${first.id}/complete`,
      await signedDecision(both, bothKey, first.id, { decision: 'approve' }),
    );
    expect(byBoth.status).toBe(200);

    const second = await openTask(commander, id, 'command_approval', [first.id]);
    const again = await both.post(
      `/api/v1/tasks/${second.id}/complete`,
      await signedDecision(both, bothKey, second.id, { decision: 'approve' }),
    );
    expect(again.status).toBe(403);
    expect(again.body.error.message).toBe(SeparationRules.twoSteps);

    // Straight to Temporal's frontend, past the API: a forged signature, and none at all, are refused by the workflow.
    const task = stack.api.deps.views.task(second.id)!;
    const handle = stack.api.deps.temporal.client.workflow.getHandle(task.workflowId);
    const actor = { username: 'commander', roles: ['commander' as const], nation: null };
    const refusal = (update: Promise<unknown>) =>
      update.then(
        () => 'applied',
        (err: { message?: string; cause?: { message?: string } }) => err.cause?.message ?? err.message ?? '',
      );
    const forged = await refusal(
      handle.executeUpdate(completeTaskUpdate, {
        args: [
          {
            taskId: second.id,
            actor,
            input: { decision: 'approve' },
            signed: { signature: 'AAAA', keyId: commanderKey.keyId, payload: 'forged' },
          },
        ],
      }),
    );
    expect(forged).toMatch(/signed decision does not verify/);
    const unsigned = await refusal(
      handle.executeUpdate(completeTaskUpdate, {
        args: [{ taskId: second.id, actor, input: { decision: 'approve' } }],
      }),
    );
    expect(unsigned).toMatch(/must be signed/);
    expect((await commander.get(`/api/v1/tasks/${second.id}`)).body.state).toBe('open');

    const done = await commander.post(
      `/api/v1/tasks/${second.id}/complete`,
      await signedDecision(commander, commanderKey, second.id, { decision: 'approve' }),
    );
    expect(done.status).toBe(200);
    expect(done.body.pledge.status).toBe('APPROVED');
    const chain = (await staff.get(`/api/v1/pledges/${id}`)).body.approval.chain;
    expect(chain.map((s: { by: string; signatureValid: boolean }) => [s.by, s.signatureValid])).toEqual([
      ['cos.commander', true],
      ['commander', true],
    ]);
  });

  it('4. when an admin registers webhooks to loopback, private, link-local or metadata addresses, then each is 422 naming the url', async () => {
    for (const url of [
      'http://127.0.0.1:6379/',
      'http://[::1]:8080/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.1.2.3/hook',
      'http://localhost:9000/hook',
      'http://[::ffff:127.0.0.1]/hook',
    ]) {
      const res = await admin.post('/api/v1/admin/webhooks', { url });
      expect(res.status, url).toBe(422);
      expect(res.body.error.details, url).toContainEqual(expect.objectContaining({ path: 'url' }));
    }
    expect((await admin.get('/api/v1/admin/webhooks')).body.items).toHaveLength(0);
  });

  it('5. when a reviewer comments internally, then the donor liaison reads its pledge’s audit without the comment; another nation gets 404', async () => {
    const id = await submit(fra);
    const review = await openTask(reviewer, id, 'compatibility_review');
    const secret = 'Internal: this donor’s last batch arrived without spares';
    expect((await reviewer.post(`/api/v1/tasks/${review.id}/comments`, { text: secret })).status).toBe(201);
    const forStaff = await eventually(async () => {
      const items = (await staff.get(`/api/v1/pledges/${id}/audit`)).body.items;
      return items.some((e: { action: string }) => e.action === 'task.commented') ? items : undefined;
    });
    expect(JSON.stringify(forStaff)).toContain(secret);
    const forDonor = (await fra.get(`/api/v1/pledges/${id}/audit`)).body.items;
    expect(JSON.stringify(forDonor)).not.toContain(secret);
    expect(forDonor.find((e: { action: string }) => e.action === 'task.commented')).toMatchObject({
      detail: { taskId: review.id },
      redacted: ['text'],
    });
    expect((await deu.get(`/api/v1/pledges/${id}/audit`)).status).toBe(404);
  });

  it('10. when a donor’s revision task escalates, then only that nation’s liaisons are told', async () => {
    const id = await submit(fra);
    const review = await openTask(reviewer, id, 'compatibility_review');
    await reviewer.post(`/api/v1/tasks/${review.id}/complete`, {
      decision: 'request_changes',
      comment: 'Add spare parts',
    });
    const revision = await openTask(fra, id, 'revision');
    const escalations = (client: HttpClient) =>
      client
        .get('/api/v1/notifications?limit=200')
        .then((r) =>
          r.body.items.filter(
            (n: { type: string; taskId: string }) => n.type === 'task.escalated' && n.taskId === revision.id,
          ),
        );
    await eventually(async () => ((await escalations(fra)).length ? true : undefined));
    await eventually(async () => ((await escalations(staff)).length ? true : undefined));
    expect(await escalations(deu)).toHaveLength(0);
  });

  it('12. when /metrics is asked without the operators’ token, then 401; the pages allow no inline script; Swagger UI’s style is clean', async () => {
    const bare = await fetch(`${stack.url}/metrics`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await fetch(`${stack.url}/metrics`, {
      headers: { authorization: 'Bearer not-the-token-at-all' },
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${stack.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(right.status).toBe(200);

    const docs = await fetch(`${stack.url}/api/docs/`);
    const csp = docs.headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
    expect(scriptSrc.trim()).toBe("script-src 'self'");
    const html = await docs.text();
    expect(html).toContain('swagger-ui');
    expect(html).not.toMatch(/undefined/);
    expect(html).not.toMatch(/<script>(?!\s*<\/script>)/);
  });

  it('7. when the newest audit entries are deleted after a checkpoint, then verify names the truncation; only auditors may sign checkpoints', async () => {
    expect((await fra.post('/api/v1/audit/checkpoints')).status).toBe(403);
    const checkpoint = await auditor.post('/api/v1/audit/checkpoints');
    expect(checkpoint.status).toBe(201);
    expect(checkpoint.body).toMatchObject({ seq: expect.any(Number), signature: expect.any(String) });
    expect((await auditor.get('/api/v1/audit/verify')).body).toMatchObject({
      ok: true,
      checkpoint: { seq: checkpoint.body.seq },
    });
    await stack.db.collection('audit_log').deleteMany({ seq: { $gt: checkpoint.body.seq - 3 } });
    const verify = (await auditor.get('/api/v1/audit/verify')).body;
    expect(verify).toMatchObject({ ok: false, problem: 'truncated' });
  });

  it('6. when one account gets wrong passwords, then each further attempt waits a doubling interval, even with the right password', async () => {
    for (let i = 0; i < 6; i++) expect((await logIn('trainer', 'wrong-password')).status).toBe(401);
    const held = await logIn('trainer', DEMO_PASSWORD);
    expect(held.status).toBe(429);
    const wait = Number(held.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, wait * 1000 + 200));
    expect((await logIn('trainer', DEMO_PASSWORD)).status).toBe(200);
    // A right password starts the count again.
    expect((await logIn('trainer', 'wrong-password')).status).toBe(401);
    expect((await logIn('trainer', DEMO_PASSWORD)).status).toBe(200);
  });

  it('6. when one address sprays wrong passwords over many usernames with forged X-Forwarded-For, then it is stopped', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < FAILURES_PER_ADDRESS + 3; i++) {
      const res = await logIn(`sprayed-${i}`, 'Winter2026!', { 'X-Forwarded-For': `203.0.113.${i}` });
      statuses.push(res.status);
    }
    const firstRefusal = statuses.indexOf(429);
    expect(firstRefusal).toBeGreaterThan(0);
    expect(firstRefusal).toBeLessThanOrEqual(FAILURES_PER_ADDRESS);
    expect(statuses.slice(firstRefusal).every((s) => s === 429)).toBe(true);
    expect((await logIn('staff', DEMO_PASSWORD, { 'X-Forwarded-For': '198.51.100.7' })).status).toBe(429);
  });
});
