import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookHeaders } from '../../api/http/webhooks';
import type { Config } from '../../infra/config';
import type { Logger } from '../../infra/logger';
import { createDeliveryProcessor, type DeliveryJobData } from '../../jobs/delivery-processor';
import type { Store } from '../../store';
import type { DeliveryRecord } from '../../store/notifications';

const README = path.resolve(__dirname, '../../README.md');
const SECRET = 'a-webhook-secret-of-the-subscription';

/** The receiver of the README, as written there. */
function readmeReceiver(): string {
  const readme = readFileSync(README, 'utf8');
  const block =
    /<!-- webhook-receiver: begin -->\s*```js\n([\s\S]*?)```\s*<!-- webhook-receiver: end -->/.exec(readme);
  if (!block) throw new Error('README.md has no webhook receiver between its markers');
  return block[1];
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

/** The engine's delivery processor with the ledger in memory: what it sends is exactly what the engine sends. */
function processorFor(url: string, secret: string) {
  const rows = new Map<string, DeliveryRecord>();
  const store = {
    Delivery: {
      findById: (id: string) => ({ lean: async () => rows.get(id) ?? null }),
      updateOne: async () => ({}),
    },
    Webhook: { findById: () => ({ lean: async () => ({ url, secret, active: true }) }) },
  } as unknown as Store;
  // The receiver listens on this machine: an address the engine refuses unless told otherwise.
  const config = {
    NODE_ENV: 'test',
    WEBHOOK_ALLOW_INTERNAL_ADDRESSES: true,
    WEBHOOK_TIMEOUT_MS: 5000,
    MAIL_FROM: 'test',
  } as Config;
  const logger = { error: () => undefined, warn: () => undefined } as unknown as Logger;
  const processor = createDeliveryProcessor({ config, logger, store });
  return async (deliveryId: string, title: string) => {
    rows.set(deliveryId, {
      _id: deliveryId,
      eventId: `event-${deliveryId}`,
      channel: 'webhook',
      target: 'hook-1',
      state: 'pending',
      attempts: 0,
      lastError: null,
      payload: {
        id: `event-${deliveryId}`,
        type: 'pledge.status',
        title,
        body: 'UNDER_REVIEW → TRAINING_PLANNING',
        pledgeId: 'PL1',
        taskId: null,
        at: new Date().toISOString(),
      },
    });
    const job = {
      data: { deliveryId },
      attemptsMade: 0,
      opts: { attempts: 1 },
    } as unknown as Job<DeliveryJobData>;
    return processor(job);
  };
}

describe('the webhook receiver of the README', () => {
  let dir: string;
  let child: ChildProcess;
  let url: string;
  let output = '';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'nsatu-receiver-'));
    const file = path.join(dir, 'receiver.mjs');
    writeFileSync(file, readmeReceiver());
    const port = await freePort();
    url = `http://127.0.0.1:${port}/hook`;
    child = spawn(process.execPath, [file], {
      env: { ...process.env, WEBHOOK_SECRET: SECRET, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
    // Listening once a request gets any answer.
    for (let i = 0; ; i++) {
      try {
        await fetch(url, { method: 'POST', body: '{}' });
        break;
      } catch (err) {
        if (i > 100 || child.exitCode !== null)
          throw new Error(`the receiver did not start: ${output}`, { cause: err });
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });
  afterAll(() => {
    child?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the engine delivers an event signed with the secret, then it is acknowledged and handled once, even when retried', async () => {
    const deliver = processorFor(url, SECRET);
    await expect(deliver('delivery-1', 'Pledge PL1 « ÉTÉ » is in training planning')).resolves.toMatchObject({
      state: 'sent',
    });
    await expect(deliver('delivery-1', 'Pledge PL1 « ÉTÉ » is in training planning')).resolves.toMatchObject({
      state: 'sent',
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(output.trim().split('\n')).toEqual([
      'pledge.status PL1 Pledge PL1 « ÉTÉ » is in training planning',
    ]);
  });

  it('when a delivery is signed with another secret, then the receiver refuses it and the engine retries it', async () => {
    await expect(processorFor(url, 'someone-else’s-secret')('delivery-2', 'forged')).rejects.toThrow(
      /HTTP 401/,
    );
  });

  it('when a request is forged, replayed or unsigned, then 401 and the receiver keeps running', async () => {
    const old = Math.floor(Date.now() / 1000) - 3600;
    const attempts: Array<Record<string, string>> = [
      {},
      { 'x-nsatu-timestamp': String(old), 'x-nsatu-signature': 'sha256=00' },
      {
        'x-nsatu-timestamp': `${Math.floor(Date.now() / 1000)}`,
        'x-nsatu-signature': `sha256=${'é'.repeat(64)}`,
      },
    ];
    for (const headers of attempts) {
      const res = await fetch(url, { method: 'POST', headers, body: '{"type":"pledge.status"}' });
      expect(res.status).toBe(401);
    }
    expect(child.exitCode).toBeNull();
  });

  it('when the document describes webhooks, then it names the very headers the engine sends', () => {
    const sent = readFileSync(path.resolve(__dirname, '../../jobs/delivery-processor.ts'), 'utf8');
    for (const header of Object.keys(webhookHeaders)) expect(sent).toContain(`'${header}'`);
  });
});
