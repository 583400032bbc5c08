import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAll } from '../support/approval';
import type { HttpClient } from '../support/http';
import { eventually, startStack, type Stack } from '../support/stack';
import { day, pledgesToPlanning, seedTestTraining } from '../support/training';

const month = (n: number) => day(n).slice(0, 7);
const deliveryDay = 300;
const delivery = { from: day(deliveryDay), to: day(deliveryDay + 100) };

interface Cell {
  month: string;
  sessions: number;
  offered: number;
  reserved: number;
  demanded: number;
  oversubscribed: boolean;
}

describe('the training portfolio over HTTP: capacity by course and month, and what-if plans', () => {
  let stack: Stack;
  let staff: HttpClient;
  let trainer: HttpClient;
  let fra: HttpClient;
  let auditor: HttpClient;
  /** Approved: its six trainees hold seats. */
  let approved: string;
  /** In training planning: its four trainees hold no seat. */
  let planning: string;

  const cellOf = (
    body: { courses: Array<{ courseId: string; cells: Cell[] }> },
    courseId: string,
    m: string,
  ) => body.courses.find((c) => c.courseId === courseId)?.cells.find((c) => c.month === m);
  const seatLedger = async () =>
    (await stack.db.collection('seat_reservations').find({}).sort({ _id: 1 }).toArray()).map((s) => ({
      ...s,
      at: String(s.at),
    }));

  beforeAll(async () => {
    stack = await startStack('portfolio');
    const [admin, reviewer] = await Promise.all([stack.as('admin'), stack.as('reviewer')]);
    [staff, trainer, fra, auditor] = await Promise.all([
      stack.as('staff'),
      stack.as('trainer'),
      stack.as('liaison.fra'),
      stack.as('auditor'),
    ]);
    // One basic and one advanced session of 8 seats each; the test UAS needs 2 crew per unit.
    await seedTestTraining(stack, admin, [
      { id: 'basic-1', courseId: 'uas-basic', start: 30, end: 50, seats: 8 },
      { id: 'advanced-1', courseId: 'uas-advanced', start: 60, end: 80, seats: 8 },
    ]);
    // One after the other: the first is planned into the sessions, the second around it (2 of its 4 crew fit).
    const items = (quantity: number) => [{ systemId: 'test-uas', quantity, deliveryWindow: delivery }];
    const first = await pledgesToPlanning(staff, reviewer, trainer, [3], items);
    const second = await pledgesToPlanning(staff, reviewer, trainer, [2], items);
    [approved, planning] = [first.ids[0], second.ids[0]];
    const confirm = first.tasks[0];
    expect((await trainer.post(`/api/v1/tasks/${confirm.id}/complete`, { decision: 'confirm' })).status).toBe(
      200,
    );
    await approveAll(stack, [approved]);
    await eventually(
      async () => {
        const view = (await staff.get(`/api/v1/pledges/${approved}`)).body;
        return view.status === 'IN_TRAINING' ? view : undefined;
      },
      { timeoutMs: 60_000 },
    );
  }, 240_000);
  afterAll(async () => stack?.stop());

  it('when staff read the capacity, then each course and month shows the seats offered, reserved and demanded, and where demand exceeds supply', async () => {
    const res = await staff.get('/api/v1/training/capacity');
    expect(res.status).toBe(200);
    // By default a year from the current month.
    expect(res.body.months).toHaveLength(12);
    expect(res.body.from).toBe(month(0));
    // The basic session holds the approved pledge's six trainees.
    expect(cellOf(res.body, 'uas-basic', month(30))).toMatchObject({ sessions: 1, offered: 8, reserved: 6 });
    expect(cellOf(res.body, 'uas-advanced', month(60))).toMatchObject({
      sessions: 1,
      offered: 8,
      reserved: 6,
    });
    // Both pledges' ten trainees must start the 20-day courses by 40 and 20 days before delivery, with or
    // without a seat; no session is offered then.
    expect(cellOf(res.body, 'uas-basic', month(deliveryDay - 40))).toEqual({
      month: month(deliveryDay - 40),
      sessions: 0,
      offered: 0,
      reserved: 0,
      demanded: 10,
      oversubscribed: true,
    });
    expect(cellOf(res.body, 'uas-advanced', month(deliveryDay - 20))).toMatchObject({
      demanded: 10,
      oversubscribed: true,
    });

    // A coordinator reads it too, for a range of their choosing.
    const ranged = await trainer.get(`/api/v1/training/capacity?from=${month(0)}&to=${month(60)}`);
    expect(ranged.status).toBe(200);
    expect(ranged.body.months.at(-1)).toBe(month(60));
    expect(cellOf(ranged.body, 'uas-basic', month(deliveryDay - 40))).toBeUndefined();
  });

  it('when a liaison asks for the capacity, or the range is not valid, then it is refused and the field is named', async () => {
    expect((await fra.get('/api/v1/training/capacity')).status).toBe(403);
    const fieldOf = async (query: string) => {
      const res = await staff.get(`/api/v1/training/capacity?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      return res.body.error.details.map((d: { path: string }) => d.path);
    };
    expect(await fieldOf('from=2027-13')).toEqual(['query.from']);
    expect(await fieldOf('to=2027-1-01')).toEqual(['query.to']);
    expect(await fieldOf('from=2027-06&to=2027-05')).toEqual(['query.to']);
    expect(await fieldOf('from=2027-01&to=2030-01')).toEqual(['query.to']);
    expect((await staff.get('/api/v1/training/capacity?course=uas-basic')).status).toBe(400);
  });

  it('when a pending pledge is tried, then the what-if gives its readiness and shortfall against the seats held, and reserves nothing', async () => {
    const ledger = await seatLedger();
    const sessionsBefore = (await trainer.get('/api/v1/training/sessions')).body.items;
    const pledgeBefore = (await staff.get(`/api/v1/pledges/${planning}`)).body;

    // The approved pledge holds six of eight seats: of the four trainees, two fit and two are short.
    const pending = await staff.post('/api/v1/training/what-if', { pledgeIds: [planning] });
    expect(pending.status).toBe(200);
    expect(pending.body.groups).toEqual([
      expect.objectContaining({
        source: { kind: 'pledge', pledgeId: planning },
        systemId: 'test-uas',
        trainees: 4,
        deadline: delivery.from,
        readyOn: null,
        readyByDeadline: 2,
      }),
    ]);
    expect(pending.body.unmet).toEqual([
      expect.objectContaining({ reason: 'no_seats', systemId: 'test-uas', trainees: 2 }),
    ]);
    expect(pending.body.traineesNeeded).toBe(4);

    // A pledge that holds seats is planned again as if it held none: all its crews fit.
    const held = await trainer.post('/api/v1/training/what-if', { pledgeIds: [approved] });
    expect(held.status).toBe(200);
    expect(held.body.groups[0]).toMatchObject({ trainees: 6, readyOn: day(80), readyByDeadline: 6 });
    expect(held.body.unmet).toEqual([]);

    // Hypothetical items: one unit's two crew take the last two seats.
    const hypothetical = await staff.post('/api/v1/training/what-if', {
      items: [{ systemId: 'test-uas', quantity: 1, deliveryWindow: delivery }],
    });
    expect(hypothetical.status).toBe(200);
    expect(hypothetical.body.groups[0]).toMatchObject({
      source: { kind: 'item', index: 0 },
      trainees: 2,
      readyOn: day(80),
    });

    // Nothing was reserved, released or changed.
    expect(await seatLedger()).toEqual(ledger);
    expect((await trainer.get('/api/v1/training/sessions')).body.items).toEqual(sessionsBefore);
    const pledgeAfter = (await staff.get(`/api/v1/pledges/${planning}`)).body;
    expect(pledgeAfter.trainingPlan).toEqual(pledgeBefore.trainingPlan);
    expect(pledgeAfter.timeline).toEqual(pledgeBefore.timeline);
  });

  it('when a liaison tries pledges, then only its own nation’s are planned and another’s is not found', async () => {
    const own = await fra.post('/api/v1/pledges', {
      donor: 'FRA',
      items: [{ systemId: 'test-uas', quantity: 1, deliveryWindow: delivery }],
      trainingOffered: true,
    });
    expect(own.status).toBe(202);
    const mine = await eventually(async () => {
      const res = await fra.post('/api/v1/training/what-if', { pledgeIds: [own.body.id] });
      return res.status === 200 ? res : undefined;
    });
    expect(mine.body.groups[0]).toMatchObject({
      source: { kind: 'pledge', pledgeId: own.body.id },
      trainees: 2,
    });

    const other = await fra.post('/api/v1/training/what-if', { pledgeIds: [planning] });
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain('test-uas');
    expect((await fra.post('/api/v1/training/what-if', { pledgeIds: ['no-such-pledge'] })).status).toBe(404);
    // Hypothetical items need no pledge: a liaison may try them.
    const items = await fra.post('/api/v1/training/what-if', {
      items: [{ systemId: 'test-uas', quantity: 1, deliveryWindow: delivery }],
    });
    expect(items.status).toBe(200);
    // An auditor reads the capacity but does not plan.
    expect((await auditor.get('/api/v1/training/capacity')).status).toBe(200);
    expect((await auditor.post('/api/v1/training/what-if', { pledgeIds: [planning] })).status).toBe(403);
  });

  it('when a what-if is asked with bad input, then it is a 400 naming the field', async () => {
    const fieldOf = async (body: unknown) => {
      const res = await staff.post('/api/v1/training/what-if', body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      return res.body.error.details.map((d: { path: string }) => d.path);
    };
    const item = { systemId: 'test-uas', quantity: 1, deliveryWindow: delivery };
    expect(await fieldOf({})).toEqual(['pledgeIds']);
    expect(await fieldOf({ pledgeIds: [], items: [] })).toEqual(['pledgeIds']);
    expect(await fieldOf({ items: [{ ...item, systemId: 'no-such-jet' }] })).toEqual(['items.0.systemId']);
    expect(await fieldOf({ items: [item, { ...item, quantity: 0 }] })).toEqual(['items.1.quantity']);
    expect(await fieldOf({ items: [{ ...item, deliveryWindow: { from: day(300), to: day(200) } }] })).toEqual(
      ['items.0.deliveryWindow.to'],
    );
  });

  it('when a pledge is withdrawn, then its crews no longer count as demand', async () => {
    const withdrawn = await staff.post(`/api/v1/pledges/${planning}/withdraw`, { reason: 'Diverted' });
    expect(withdrawn.status).toBe(202);
    // The approved pledge's six and the French pledge's two (in review) remain.
    const demanded = await eventually(async () => {
      const res = await staff.get('/api/v1/training/capacity');
      const cell = cellOf(res.body, 'uas-basic', month(deliveryDay - 40));
      return cell?.demanded === 8 ? cell : undefined;
    });
    expect(demanded).toMatchObject({ demanded: 8, oversubscribed: true });
  });
});
