import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTaskPolicy } from '../../domain/schemas/task-policy';
import { createBackup } from '../../backup/backup';
import { openDatabase } from '../../backup/record';
import { diagnose } from '../../scripts/doctor';
import { verifyAuditChain } from '../../store/audit-log';
import { startDeliverySinks, type DeliverySinks } from '../support/delivery-sinks';
import { localServices, runCommand, type LocalServices } from '../support/local-services';
import {
  advance,
  people,
  signersOf,
  stages,
  submitPledge,
  testPledge,
  type PledgeView,
  type StageName,
} from '../support/pledge-stages';
import { eventually, startStack, type Stack } from '../support/stack';
import { differences, digestState, type StateDigest } from '../support/state-digest';
import { checkSeatLedger, seedTestTraining } from '../support/training';

/** Pledges left at each stage when the backup is taken (BACKUP_TEST_PLEDGES; 5 stages). */
const PER_STAGE = Number(process.env.BACKUP_TEST_PLEDGES ?? 2);
const DATABASE = 'nsatu_backup_test';
const TASK_QUEUE = 'backup-restore-test';
const PREFIX = 'backup-restore-test';
// No liaison of this nation exists: every pledge notifies the same people, so pledges can be compared one to one.
const DONOR = 'NLD';
// Review tasks of the last pledges remind after 20 s and escalate after 150 s: the reminder goes out before the
// backup, the escalation (on a machine that is not very slow) after the restore. They escalate to the chief of
// staff: the staff officer submitted the pledges, and nobody is escalated their own submission.
const REVIEW_SLA = { slaSeconds: 150, remindBeforeDueSeconds: [130], escalateToRoles: ['chief_of_staff'] };
const USERS = ['staff', 'reviewer', 'trainer', 'cos', 'commander', 'deputy', 'saceur', 'admin', 'auditor'];
const ORDER: StageName[] = ['ready', 'inTraining', 'awaitingApproval', 'trainingPlanning', 'openReview'];
/** The task each waiting stage has open, and who sees it in their inbox. */
const OPEN_TASK: Partial<Record<StageName, [kind: string, user: string]>> = {
  openReview: ['compatibility_review', 'reviewer'],
  trainingPlanning: ['training_plan_confirmation', 'trainer'],
  awaitingApproval: ['command_approval', 'commander'],
};
const TIMER_DRIVEN = /remind|escalat/i;

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Sorted "key ×count" lines of a multiset, so that two pledges' histories compare as lists. */
const multiset = (keys: string[]) => {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k} ×${n}`).sort();
};

/** Everything one pledge left behind, each as a multiset of kinds (ids and times aside). */
async function footprint(stack: Stack, pledgeId: string) {
  const db = stack.db;
  const [pledge, tasks, seats, audit, notifications, deliveries] = await Promise.all([
    db.collection('pledges').findOne({ _id: pledgeId as never }),
    db.collection('tasks').find({ pledgeId }).toArray(),
    db.collection('seat_reservations').find({ pledgeId, kind: 'reserved' }).toArray(),
    db.collection('audit_log').find({ pledgeId }).toArray(),
    db.collection('notifications').find({ pledgeId }).toArray(),
    db.collection('deliveries').find({ 'payload.pledgeId': pledgeId }).toArray(),
  ]);
  return {
    timeline: multiset(((pledge?.timeline ?? []) as Doc[]).map((e) => e.type as string)),
    tasks: multiset(tasks.map((t) => `${t.kind}:${t.state}`)),
    seats: multiset(seats.map((s) => String(s.sessionId))),
    audit: multiset(audit.map((e) => e.action as string)),
    notifications: multiset(notifications.map((n) => `${n.type}→${n.recipient}`)),
    deliveries: multiset(deliveries.map((d) => `${d.payload.type}→${d.channel}:${d.target}`)),
  };
}

/** Lines of `mine` beyond `reference`'s, and lines of `reference` that `mine` lacks. */
function compare(reference: string[], mine: string[]) {
  return {
    extra: mine.filter((l) => !reference.includes(l)),
    lacking: reference.filter((l) => !mine.includes(l)),
  };
}

describe('backup, restore and disaster recovery', () => {
  let root: string;
  let services: LocalServices;
  let sinks: DeliverySinks;
  let webhookSecret: string | null = null;
  let stack: Stack | undefined;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'nsatu-backup-test-'));
    services = await localServices(path.join(root, 'data'));
    await services.start();
    sinks = await startDeliverySinks({ webhookSecret: () => webhookSecret });
  });
  afterAll(async () => {
    await stack?.stop().catch(() => undefined);
    await services?.stop().catch(() => undefined);
    await sinks?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const engineEnv = () => ({
    MONGODB_URI: services.mongodbUri(DATABASE),
    REDIS_URL: services.redisUrl,
    TEMPORAL_ADDRESS: services.temporalAddress,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    QUEUE_PREFIX: PREFIX,
    SMTP_URL: sinks.smtpUrl,
    DELIVERY_BACKOFF_MS: '200',
    JOB_LOCK_MS: '5000',
  });

  /** Nothing queued, running or unsent: what the engine was asked to do is done. */
  const settled = async (s: Stack) => {
    const { queues } = s.api.deps;
    const states = ['waiting', 'active', 'delayed', 'prioritized'] as const;
    const counts = await Promise.all(
      [queues.notifications, queues.deliveries].map((q) => q.getJobCounts(...states)),
    );
    const busy = counts.reduce((n, c) => n + states.reduce((m, st) => m + (c[st] ?? 0), 0), 0);
    const unsent = await s.db.collection('deliveries').countDocuments({ state: { $ne: 'sent' } });
    const unlinked = await s.db.collection('audit_pending').countDocuments();
    return busy === 0 && unsent === 0 && unlinked === 0;
  };

  it(
    'when pledges at every stage are backed up, the data directories deleted and the archive restored, then every ' +
      'story finishes and no pledge, task, seat, signature, audit entry or notification is lost or doubled',
    async () => {
      const log = (line: string) => console.log(`backup-restore: ${line}`);
      // ---- pledges at every stage, on services of this test's own ----
      stack = await startStack('backup', { env: engineEnv(), jobsWorker: 'inline' });
      const admin = await stack.as('admin');
      await seedTestTraining(
        stack,
        admin,
        [
          { id: 'uas-basic-1', courseId: 'uas-basic', start: 20, end: 40, seats: 1000 },
          { id: 'uas-advanced-1', courseId: 'uas-advanced', start: 50, end: 70, seats: 1000 },
        ],
        { maxCohort: 20 },
      );
      for (const user of USERS) {
        const res = await admin.call('PATCH', `/api/v1/admin/users/${user}`, { email: `${user}@nsatu.test` });
        expect(res.status).toBe(200);
      }
      const hook = await admin.post('/api/v1/admin/webhooks', { url: sinks.webhookUrl });
      expect(hook.status).toBe(201);
      webhookSecret = hook.body.secret;
      const before = await people(stack);

      const groups = {} as Record<StageName, string[]>;
      const drive = async (stage: StageName) => {
        groups[stage] = [];
        for (let i = 0; i < PER_STAGE; i++) groups[stage].push(await submitPledge(before, testPledge(DONOR)));
        await Promise.all(groups[stage].map((id) => advance(before, id, stages[stage])));
      };
      await Promise.all(ORDER.filter((s) => s !== 'openReview').map(drive));
      // The last pledges start under a task policy with second-scale review deadlines (running ones keep theirs).
      await stack.db.collection('policies').insertOne({
        kind: 'tasks',
        version: 2,
        createdBy: 'backup-test',
        document: { ...defaultTaskPolicy, version: 2, compatibility_review: REVIEW_SLA },
      });
      await drive('openReview');
      for (const [stage, [kind, user]] of Object.entries(OPEN_TASK)) {
        const inbox = await stack.as(user);
        for (const id of groups[stage as StageName])
          await eventually(async () => {
            const items = (await inbox.get(`/api/v1/tasks?kind=${kind}&pledgeId=${id}`)).body.items as Doc[];
            return items.some((t) => t.state === 'open');
          });
      }
      const reviewer = await stack.as('reviewer');
      await eventually(
        async () => {
          const reminders = (
            (await reviewer.get('/api/v1/notifications?limit=200')).body.items as Doc[]
          ).filter((n) => n.type === 'task.reminder');
          return groups.openReview.every((id) => reminders.some((n) => n.pledgeId === id));
        },
        { timeoutMs: 120_000 },
      );
      const running = stack;
      await eventually(() => settled(running), { timeoutMs: 120_000 });
      log(`${ORDER.length * PER_STAGE} pledges at ${ORDER.join(', ')}; reminders of the open reviews sent`);

      // ---- back up, with the engine's writers paused ----
      let atBackup: StateDigest | undefined;
      let fingerprintMs = 0;
      const backup = await createBackup({
        outDir: path.join(root, 'backups'),
        mongodbUri: services.mongodbUri(DATABASE),
        ferretDbSqliteDir: path.join(services.dataDir, 'ferretdb'),
        redisUrl: services.redisUrl,
        queuePrefix: PREFIX,
        temporal: {
          address: services.temporalAddress,
          namespace: 'default',
          taskQueue: TASK_QUEUE,
          dbFile: path.join(services.dataDir, 'temporal.db'),
        },
        quiesce: {
          method: 'test: API, Temporal worker and jobs worker stopped',
          pause: async () => {
            await Promise.all([running.killWorker(), running.killJobsWorker(), running.api.stop()]);
            const t = performance.now();
            // What the engine holds at the moment of the backup, to compare the restore with.
            atBackup = await digestState(running.db.db!, services.temporalAddress, services.redisUrl, PREFIX);
            fingerprintMs = performance.now() - t;
          },
          resume: async () => {
            await running.startWorker();
            await running.startJobsWorker();
            await running.restartApi();
          },
        },
      });
      const { manifest } = backup;
      log(
        `archive ${backup.bytes} bytes; write pause ${manifest.pause.ms} ms (snapshots: Temporal ` +
          `${manifest.timings.temporalMs} ms, Redis ${manifest.timings.redisMs} ms, record ${manifest.timings.recordMs} ms); ` +
          `stopping the writers ${manifest.pause.drainMs} ms (${Math.round(fingerprintMs)} ms of it this test's ` +
          `fingerprinting), starting them ${manifest.pause.resumeMs} ms`,
      );
      const total = ORDER.length * PER_STAGE;
      expect(manifest.record.method).toMatch(/SQLite file copied during the pause/);
      expect(manifest.counts.pledges).toBe(total);
      expect(manifest.counts.pledgesByStatus).toEqual({
        READY: PER_STAGE,
        IN_TRAINING: PER_STAGE,
        AWAITING_APPROVAL: PER_STAGE,
        TRAINING_PLANNING: PER_STAGE,
        UNDER_REVIEW: PER_STAGE,
      });
      expect(manifest.temporal.workflows?.running).toBeGreaterThanOrEqual(4 * PER_STAGE);
      expect(manifest.audit.head?.seq).toBe(manifest.audit.entries);
      const archived = [...atBackup!.record.keys()];

      // ---- the disaster: everything stops, the data directories are gone ----
      await stack.stop();
      stack = undefined;
      await services.stop();
      await rm(services.dataDir, { recursive: true, force: true });
      expect(existsSync(services.dataDir)).toBe(false);

      // ---- restore, as an operator would ----
      const env = {
        ...services.env,
        TEMPORAL_TASK_QUEUE: TASK_QUEUE,
        QUEUE_PREFIX: PREFIX,
        LOG_LEVEL: 'warn',
      };
      const restoreStarted = performance.now();
      const restored = await runCommand(
        process.execPath,
        ['--import', 'tsx', 'scripts/restore.ts', backup.archive],
        env,
      );
      const restoreMs = performance.now() - restoreStarted;
      expect(restored.code, restored.out).toBe(0);
      expect(restored.out).toMatch(/audit chain: verifies \(\d+ entries\), head matches the archive/);
      expect(restored.out).toMatch(/doctor: every pledge and its workflow agree/);
      log(
        `restored in ${Math.round(restoreMs)} ms (services started, data loaded, projections rebuilt, checks run)`,
      );
      // Once restored, the data directories are not empty: a second restore refuses to overwrite them.
      const again = await runCommand(
        process.execPath,
        ['--import', 'tsx', 'scripts/restore.ts', backup.archive],
        env,
      );
      expect(again.code).not.toBe(0);
      expect(again.out).toMatch(/refusing to overwrite/);

      // The restored state is the state at the backup, document for document, workflow for workflow, job for job.
      const database = await openDatabase(services.mongodbUri(DATABASE));
      let afterRestore: StateDigest;
      try {
        afterRestore = await digestState(database.db, services.temporalAddress, services.redisUrl, PREFIX);
      } finally {
        await database.close();
      }
      const none = { missing: [], added: [], changed: [] };
      expect(differences(atBackup!.record, afterRestore.record)).toEqual(none);
      expect(differences(atBackup!.workflows, afterRestore.workflows)).toEqual(none);
      expect(differences(atBackup!.redis, afterRestore.redis)).toEqual(none);

      // ---- the engine starts again on the restored services; every story goes on to READY ----
      stack = await startStack('backup', { env: engineEnv(), jobsWorker: 'inline', seed: false });
      const restarted = stack;
      const after = await people(restarted, signersOf(before));
      const staff = await restarted.as('staff');
      const chiefOfStaff = await restarted.as('cos');
      // The escalation timers set before the backup fire on the restored server.
      await eventually(
        async () => {
          const escalations = (
            (await chiefOfStaff.get('/api/v1/notifications?limit=200')).body.items as Doc[]
          ).filter((n) => n.type === 'task.escalated');
          return groups.openReview.every((id) => escalations.some((n) => n.pledgeId === id));
        },
        { timeoutMs: 240_000 },
      );
      const views = await Promise.all(
        ORDER.flatMap((s) => groups[s]).map((id) => advance(after, id, stages.ready)),
      );
      expect(views.map((v) => v.status)).toEqual(views.map(() => 'READY'));
      await eventually(() => settled(restarted), { timeoutMs: 120_000 });

      // ---- nothing lost or doubled ----
      const db = restarted.db;
      const pledgeIds = (
        await db
          .collection('pledges')
          .find({}, { projection: { _id: 1 } })
          .toArray()
      ).map((p) => String(p._id));
      expect(pledgeIds.sort()).toEqual(ORDER.flatMap((s) => groups[s]).sort());
      // Every pledge went through the same steps, whether the backup caught it early or late: compared with a
      // pledge finished before the backup, each left the same timeline, tasks, seats, audit entries, in-app
      // notifications and deliveries. The open reviews add their reminder and escalation, each once.
      const reference = await footprint(restarted, groups.ready[0]);
      expect(reference.tasks).toEqual([
        'command_approval:completed ×2',
        'compatibility_review:completed ×1',
        'training_plan_confirmation:completed ×1',
      ]);
      for (const stage of ORDER) {
        for (const id of groups[stage]) {
          const mine = await footprint(restarted, id);
          for (const aspect of Object.keys(reference) as Array<keyof typeof reference>) {
            const { extra, lacking } = compare(reference[aspect], mine[aspect]);
            expect(lacking, `${stage} pledge ${id}: ${aspect} lacking`).toEqual([]);
            if (stage === 'openReview') {
              expect(
                extra.filter((l) => !TIMER_DRIVEN.test(l) || !l.endsWith(' ×1')),
                `${stage} pledge ${id}: ${aspect} beyond the reference`,
              ).toEqual([]);
            } else expect(extra, `${stage} pledge ${id}: ${aspect} beyond the reference`).toEqual([]);
          }
        }
      }
      // Timers: each review escalated when due, on the restored server when it fell due after the backup.
      const reviews = await db
        .collection('tasks')
        .find({ pledgeId: { $in: groups.openReview }, kind: 'compatibility_review' })
        .toArray();
      const dueAfterBackup = (t: Doc) =>
        Date.parse(String(t.createdAt)) + REVIEW_SLA.slaSeconds * 1000 > Date.parse(manifest.createdAt);
      expect(reviews.filter(dueAfterBackup).length, 'escalations due after the backup').toBeGreaterThan(0);
      for (const task of reviews) {
        const escalated = await db
          .collection('notifications')
          .find({ type: 'task.escalated', taskId: task._id })
          .toArray();
        expect(escalated.length).toBeGreaterThan(0);
        for (const n of escalated)
          expect(String(n.createdAt) > manifest.createdAt).toBe(dueAfterBackup(task));
      }
      // Signatures: every step of every chain signed, each signature valid against the restored keys.
      for (const id of pledgeIds) {
        const view = (await staff.get(`/api/v1/pledges/${id}`)).body as PledgeView;
        expect(view.approval?.chain.map((s) => [s.state, s.signatureValid])).toEqual([
          ['approved', true],
          ['approved', true],
        ]);
      }
      // Seats: no session overbooked, each cohort holds exactly its trainees, none leaked.
      const ledger = await checkSeatLedger(restarted);
      expect(ledger.seats).toBe(total * 8);
      // Audit: the chain verifies, and every entry that existed at the backup is still there, unchanged.
      const chain = await verifyAuditChain(
        restarted.api.deps.store,
        restarted.api.deps.checkpointKey.publicKey,
      );
      expect(chain).toMatchObject({ ok: true });
      const final = await digestState(db.db!, services.temporalAddress, services.redisUrl, PREFIX);
      const auditAtBackup = archived.filter((k) => k.startsWith('audit_log/'));
      expect(auditAtBackup.length).toBe(manifest.audit.entries);
      expect(auditAtBackup.filter((k) => final.record.get(k) !== atBackup!.record.get(k))).toEqual([]);
      // Deliveries: every e-mail and webhook of the ledger reached the outside world exactly once, before the
      // backup or after the restore, none of them twice.
      const ledgerRows = await db.collection('deliveries').find({}).toArray();
      expect(ledgerRows.every((r) => r.state === 'sent')).toBe(true);
      const received = new Map([...sinks.mails, ...sinks.hooks]);
      expect(ledgerRows.filter((r) => received.get(String(r._id)) !== 1).map((r) => r._id)).toEqual([]);
      expect([...received.values()].every((n) => n === 1)).toBe(true);
      expect(received.size).toBe(ledgerRows.length);
      expect(sinks.badSignatures).toBe(0);
      // And the doctor finds nothing to repair.
      const { store } = restarted.api.deps;
      expect(await diagnose({ store, client: restarted.api.deps.temporal.client })).toEqual([]);
      log(
        `${total} pledges READY after the restore; ${ledger.seats} seats, ${chain.checked} audit entries, ` +
          `${ledgerRows.length} deliveries, each once`,
      );

      // ---- the commands as an operator runs them: a backup of the stopped engine, verified without restoring ----
      await Promise.all([restarted.killWorker(), restarted.killJobsWorker(), restarted.api.stop()]);
      const cliEnv = { ...env, MONGODB_URI: services.mongodbUri(DATABASE) };
      const out = path.join(root, 'backups-cli');
      const cli = await runCommand(
        process.execPath,
        ['--import', 'tsx', 'scripts/backup.ts', '--engine-stopped', '--out', out],
        cliEnv,
      );
      expect(cli.code, cli.out).toBe(0);
      expect(cli.out).toMatch(/record\s+dumped as Extended JSON through the wire protocol during the pause/);
      const archive = /archive\s+(\S+\.tar\.gz)/.exec(cli.out)?.[1];
      expect(archive).toBeDefined();
      const verified = await runCommand(
        process.execPath,
        ['--import', 'tsx', 'scripts/backup-verify.ts', archive!],
        cliEnv,
      );
      expect(verified.code, verified.out).toBe(0);
      expect(verified.out).toContain(`ok   counts: ${total} pledges`);
      expect(verified.out).toMatch(/ok {3}audit chain: \d+ entries verify and end at the recorded head/);
      expect(verified.out).toMatch(/ok {3}redis snapshot: [1-9]\d* keys/);
      expect(verified.out).not.toContain('FAIL');
    },
    20 * 60_000,
  );
});
