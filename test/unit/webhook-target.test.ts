import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkWebhookTarget,
  deliveryErrorCategory,
  internalRangeOf,
  postPinned,
  type Resolver,
} from '../../jobs/webhook-target';

const external = { requireHttps: false, allowInternal: false };
const answers =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('webhook targets: never into the engine’s own network', () => {
  it.each([
    ['http://127.0.0.1:6390/', 'loopback'],
    ['http://[::1]:8080/', 'loopback'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local (cloud metadata)'],
    ['http://10.1.2.3/', 'private'],
    ['http://192.168.1.10/', 'private'],
    ['http://172.20.0.5/', 'private'],
    ['http://[fd00::1]/', 'unique local (private)'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
  ])('when a webhook points at %s, then it is refused as %s', async (url, kind) => {
    const check = await checkWebhookTarget(url, external, answers());
    expect(check).toEqual({ ok: false, problem: expect.stringContaining(kind) });
  });

  it('when a public name also resolves to an internal address, then it is refused (one internal answer is enough)', async () => {
    expect(
      await checkWebhookTarget('https://hooks.example.org/x', external, answers('93.184.216.34', '10.0.0.7')),
    ).toMatchObject({ ok: false });
  });

  it('when production asks for https, then an http webhook is refused; https to a public address passes', async () => {
    const production = { requireHttps: true, allowInternal: false };
    expect(
      await checkWebhookTarget('http://hooks.example.org/x', production, answers('93.184.216.34')),
    ).toEqual({ ok: false, problem: 'webhooks must use https' });
    expect(
      await checkWebhookTarget('https://hooks.example.org/x', production, answers('93.184.216.34')),
    ).toMatchObject({ ok: true, address: '93.184.216.34' });
  });

  it.each(['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111'])(
    'when an address is public (%s), then it is not an internal range',
    (address) => {
      expect(internalRangeOf(address)).toBeNull();
    },
  );

  it('when delivery fails, then the log says what kind of failure, not which port answered', () => {
    expect(
      deliveryErrorCategory(
        Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432'), { code: 'ECONNREFUSED' }),
      ),
    ).toBe('could not connect');
    expect(deliveryErrorCategory(new Error('HTTP 503'))).toBe('receiver answered HTTP 503');
    expect(deliveryErrorCategory(Object.assign(new Error('x'), { name: 'TimeoutError' }))).toBe('timed out');
  });
});

describe('DNS rebinding: a send goes to the address that was checked', () => {
  let server: Server;
  let port: number;
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.headers.host ?? '');
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('when a name resolves to a public address at registration and to loopback at send time, then the send is refused', async () => {
    let calls = 0;
    const rebinding: Resolver = async () =>
      calls++ === 0 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    const url = `http://rebind.example.test:${port}/hook`;
    expect(await checkWebhookTarget(url, external, rebinding)).toMatchObject({
      ok: true,
      address: '93.184.216.34',
    });
    expect(await checkWebhookTarget(url, external, rebinding)).toEqual({
      ok: false,
      problem: expect.stringContaining('loopback'),
    });
  });

  it('when a send goes out, then it connects to the checked address although the name itself resolves nowhere', async () => {
    const check = await checkWebhookTarget(
      `http://pinned.example.test:${port}/hook`,
      { requireHttps: false, allowInternal: true },
      answers('127.0.0.1'),
    );
    if (!check.ok) throw new Error(check.problem);
    expect(await postPinned(check, { 'content-type': 'application/json' }, '{}', 2_000)).toBe(204);
    expect(hits).toEqual([`pinned.example.test:${port}`]);
  });
});
