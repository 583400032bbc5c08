import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, METRICS_TOKEN, startStack, type Stack } from '../support/stack';

const year = new Date().getUTCFullYear() + 1;

describe('metrics: the engine in application terms', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('metrics');
  });
  afterAll(async () => stack?.stop());

  const scrape = () =>
    fetch(`${stack.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then((r) =>
      r.text(),
    );
  const line = (metrics: string, prefix: string) => metrics.split('\n').find((l) => l.startsWith(prefix));

  it('when a route answers with success and with an error, then both are counted under the same route template', async () => {
    const staff = await stack.as('staff');
    expect((await staff.get('/api/v1/pledges?limit=5')).status).toBe(200);
    expect((await staff.get('/api/v1/pledges?limit=5000')).status).toBe(400);
    expect((await staff.get('/api/v1/pledges/NOSUCH')).status).toBe(404);
    const metrics = await scrape();
    expect(
      line(
        metrics,
        'nsatu_http_request_duration_seconds_count{method="GET",route="/api/v1/pledges",status="200"}',
      ),
    ).toBeDefined();
    expect(
      line(
        metrics,
        'nsatu_http_request_duration_seconds_count{method="GET",route="/api/v1/pledges",status="400"}',
      ),
    ).toBeDefined();
    expect(
      line(
        metrics,
        'nsatu_http_request_duration_seconds_count{method="GET",route="/api/v1/pledges/:id",status="404"}',
      ),
    ).toBeDefined();
    expect(metrics).not.toMatch(/route="\/pledges"/);
  });

  it('when a review task is open, then the task gauge counts it; workflows and failed deliveries are reported', async () => {
    const fra = await stack.as('liaison.fra');
    await fra.post('/api/v1/pledges', {
      donor: 'FRA',
      items: [
        { systemId: 'caesar', quantity: 2, deliveryWindow: { from: `${year}-03-01`, to: `${year}-09-30` } },
      ],
    });
    const metrics = await eventually(async () => {
      const m = await scrape();
      return /nsatu_tasks\{kind="compatibility_review",overdue="false"\} [1-9]/.test(m) ? m : undefined;
    });
    expect(line(metrics, 'nsatu_workflows{status="Running"}')).toMatch(/ [1-9]\d*$/);
    expect(line(metrics, 'nsatu_workflows{status="Failed"}')).toBeDefined();
    expect(line(metrics, 'nsatu_deliveries_failed')).toMatch(/^nsatu_deliveries_failed \d+$/);
  });
});
