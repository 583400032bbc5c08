import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * What an outside mail server and a webhook subscriber received, kept by delivery id (the
 * `X-NSATU-Delivery` header both channels carry) so a test can count each delivery's arrivals.
 */
export interface DeliverySinks {
  smtpUrl: string;
  webhookUrl: string;
  /** Delivery id → how many times a mail carrying it arrived. */
  mails: Map<string, number>;
  /** Delivery id → how many accepted (2xx) webhook calls carried it. */
  hooks: Map<string, number>;
  /** Webhook calls refused on purpose (a subscriber having a bad moment) and calls with a wrong signature. */
  refused: number;
  badSignatures: number;
  close(): Promise<void>;
}

/** A header of a raw message, unfolded (long header lines are wrapped onto indented lines). */
const headerOf = (raw: string, name: string) =>
  new RegExp(`^${name}:\\s*(.+)$`, 'im')
    .exec(raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' '))?.[1]
    ?.trim() ?? null;

/**
 * Starts both sinks on free ports. `refuseFirst(deliveryId)` makes the subscriber answer 503 to
 * the first call of that delivery, so retries are exercised too.
 */
export async function startDeliverySinks(opts: {
  webhookSecret: () => string | null;
  refuseFirst?: (deliveryId: string) => boolean;
}): Promise<DeliverySinks> {
  const mails = new Map<string, number>();
  const hooks = new Map<string, number>();
  const seen = new Set<string>();
  const sinks = { refused: 0, badSignatures: 0 };

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const id = headerOf(Buffer.concat(chunks).toString('utf8'), 'X-NSATU-Delivery') ?? '(none)';
        mails.set(id, (mails.get(id) ?? 0) + 1);
        callback();
      });
    },
  });

  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['x-nsatu-delivery'] ?? '(none)');
      const secret = opts.webhookSecret();
      const expected = secret
        ? `sha256=${createHmac('sha256', secret)
            .update(`${String(req.headers['x-nsatu-timestamp'])}.${raw}`)
            .digest('hex')}`
        : null;
      if (req.headers['x-nsatu-signature'] !== expected) {
        sinks.badSignatures++;
        res.statusCode = 401;
      } else if (!seen.has(id) && opts.refuseFirst?.(id)) {
        seen.add(id);
        sinks.refused++;
        res.statusCode = 503;
      } else {
        seen.add(id);
        hooks.set(id, (hooks.get(id) ?? 0) + 1);
        res.statusCode = 204;
      }
      res.end();
    });
  });

  const listen = (
    server: { listen(port: number, host: string, cb: () => void): unknown },
    address: () => AddressInfo,
  ) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve(address().port)));
  const smtpPort = await listen(smtp, () => smtp.server.address() as AddressInfo);
  const hookPort = await listen(receiver, () => receiver.address() as AddressInfo);

  return Object.assign(sinks, {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    webhookUrl: `http://127.0.0.1:${hookPort}/nsatu`,
    mails,
    hooks,
    async close() {
      receiver.closeAllConnections();
      await Promise.all([
        new Promise((r) => receiver.close(r)),
        new Promise<void>((r) => smtp.close(() => r())),
      ]);
    },
  });
}
