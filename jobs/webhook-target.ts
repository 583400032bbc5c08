import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import type { Config } from '../infra/config';

/**
 * Where a webhook may be sent: never into the engine's own network. Addresses in these ranges are refused at
 * registration and again at every send (a name may resolve elsewhere by then), and a send connects to the very
 * address that was checked, so a second DNS answer cannot redirect it (DNS rebinding).
 */
const FORBIDDEN: Array<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'ipv4', 'documentation'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['198.51.100.0', 24, 'ipv4', 'documentation'],
  ['203.0.113.0', 24, 'ipv4', 'documentation'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['::ffff:0:0', 96, 'ipv6', 'IPv4-mapped'],
  ['64:ff9b::', 96, 'ipv6', 'IPv4/IPv6 translation'],
  ['100::', 64, 'ipv6', 'discard'],
  ['2001:db8::', 32, 'ipv6', 'documentation'],
  ['fc00::', 7, 'ipv6', 'unique local (private)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const ranges = FORBIDDEN.map(([network, prefix, type, kind]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, type);
  return { list, type, kind };
});

/** The kind of internal range an address falls in ("loopback", "private"…), or null for a public address. */
export function internalRangeOf(address: string): string | null {
  const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  // An IPv4-mapped IPv6 address is judged as the IPv4 address it carries (dotted or hex form).
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (dotted) return internalRangeOf(dotted);
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
    return internalRangeOf(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  return ranges.find((r) => r.type === type && r.list.check(address, type))?.kind ?? null;
}

export interface WebhookPolicy {
  /** Production takes https only. */
  requireHttps: boolean;
  /** Allow internal addresses (tests and local demos with a receiver on this machine). */
  allowInternal: boolean;
}

/** Where this deployment lets webhooks go (production: https only; internal addresses only where allowed). */
export const webhookPolicy = (
  config: Pick<Config, 'NODE_ENV' | 'WEBHOOK_ALLOW_INTERNAL_ADDRESSES'>,
): WebhookPolicy => ({
  requireHttps: config.NODE_ENV === 'production',
  allowInternal: config.WEBHOOK_ALLOW_INTERNAL_ADDRESSES && config.NODE_ENV !== 'production',
});

export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

export type TargetCheck =
  { ok: true; url: URL; address: string; family: 4 | 6 } | { ok: false; problem: string };

/**
 * Checks a webhook URL and resolves it once: the scheme, and every address the name resolves to (one internal
 * address is enough to refuse: the name could be made to answer it). The address returned is the one to connect to.
 */
export async function checkWebhookTarget(
  raw: string,
  policy: WebhookPolicy,
  resolve: Resolver = systemResolver,
): Promise<TargetCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: 'not a URL' };
  }
  if (url.protocol !== 'https:' && (policy.requireHttps || url.protocol !== 'http:')) {
    return {
      ok: false,
      problem: policy.requireHttps ? 'webhooks must use https' : 'webhooks use http or https',
    };
  }
  if (url.username || url.password)
    return { ok: false, problem: 'credentials do not belong in a webhook URL' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host);
  } catch {
    return { ok: false, problem: `the name ${host} does not resolve` };
  }
  if (!addresses.length) return { ok: false, problem: `the name ${host} does not resolve` };
  if (!policy.allowInternal) {
    for (const { address } of addresses) {
      const kind = internalRangeOf(address);
      if (kind)
        return {
          ok: false,
          problem: `${host} is an internal address (${kind}); webhooks go to receivers outside the engine's network`,
        };
    }
  }
  const chosen = addresses[0];
  return { ok: true, url, address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
}

/** Delivery failures as categories: the log tells an admin what to fix without mapping the network behind it. */
export function deliveryErrorCategory(err: unknown): string {
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } } | null;
  const code = e?.code ?? e?.cause?.code ?? '';
  // The engine's own reasons (the webhook was deleted, the address refused) are safe to show as they are.
  if (e?.name === 'UnrecoverableError' && e.message) return e.message;
  if (/^HTTP \d{3}$/.test(e?.message ?? '')) return `receiver answered ${e!.message}`;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || code === 'ETIMEDOUT') return 'timed out';
  if (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENETUNREACH'
  )
    return 'could not connect';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'name does not resolve';
  if (/CERT|SSL|TLS/i.test(code) || /certificate|tls|ssl/i.test(e?.message ?? '')) return 'TLS failure';
  return 'delivery failed';
}

/**
 * POSTs to the address that was checked, not to whatever the name resolves to a moment later (the connection's
 * lookup answers the checked address; TLS still verifies the certificate for the host name).
 */
export function postPinned(
  target: Extract<TargetCheck, { ok: true }>,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<number> {
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target.url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        lookup: (_host, opts, callback) => {
          // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily): either way, only this one.
          const answer = callback as (
            err: null,
            address: string | Array<{ address: string; family: number }>,
            family?: number,
          ) => void;
          if ((opts as { all?: boolean }).all)
            answer(null, [{ address: target.address, family: target.family }]);
          else answer(null, target.address, target.family);
        },
        timeout: timeoutMs,
      },
      (res) => {
        // Drained, so the socket can be reused; a redirect is not followed (it would go where nobody registered).
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })));
    req.on('error', reject);
    req.end(body);
  });
}
