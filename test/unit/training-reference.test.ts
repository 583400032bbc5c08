import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal';
import type { Principal } from '../../domain/permissions';
import type { Course, Session } from '../../domain/schemas/reference';
import { prerequisiteCycle } from '../../domain/training/prerequisites';
import {
  removeSession,
  saveCourse,
  saveSession,
  type TrainingReferencePorts,
  type TrainingReferenceRepository,
} from '../../app/training-reference';

const coordinator: Principal = { username: 'coordinator', roles: ['training_coordinator'], nation: null };

const course = (id: string, prerequisiteIds: string[] = []): Course => ({
  id,
  name: id,
  durationDays: 10,
  prerequisiteIds,
  minCohort: 2,
  maxCohort: 12,
  audience: 'crew',
});
const session = (fields: Partial<Session> = {}): Session => ({
  id: 's1',
  courseId: 'basics',
  siteId: 'riga',
  start: '2030-03-01',
  end: '2030-03-14',
  seats: 10,
  ...fields,
});

/**
 * The training reference data in memory, with a seat ledger that knows which seat numbers are reserved, and a
 * record of every write the use cases made (the audit entries, the projected sessions, the stored changes).
 */
function fakeTraining(
  stored: { courses?: Course[]; sessions?: Session[]; reservedSeatNos?: Record<string, number[]> } = {},
) {
  const courses = new Map((stored.courses ?? [course('basics')]).map((c) => [c.id, c]));
  const sessions = new Map((stored.sessions ?? []).map((s) => [s.id, s]));
  const reserved = new Map(Object.entries(stored.reservedSeatNos ?? {}));
  const writes: string[] = [];
  const audited: Array<{ action: string; detail: Record<string, unknown> }> = [];
  const projected: string[] = [];
  const heldAbove = (id: string, seats: number) => (reserved.get(id) ?? []).filter((n) => n > seats);
  const reference: TrainingReferenceRepository = {
    coursePrerequisites: async () => new Map([...courses].map(([id, c]) => [id, c.prerequisiteIds])),
    putCourse: async (c) => void (writes.push(`course ${c.id}`), courses.set(c.id, c)),
    putSite: async (s) => void writes.push(`site ${s.id}`),
    courseExists: async (id) => courses.has(id),
    siteExists: async (id) => id === 'riga',
    session: async (id) => sessions.get(id) ?? null,
    insertSession: async (s) => {
      if (sessions.has(s.id)) return false;
      writes.push(`insert ${s.id}`);
      sessions.set(s.id, s);
      return true;
    },
    resizeSession: async (id, _from, to) => {
      const held = heldAbove(id, to);
      if (held.length) return { ok: false, heldSeatNos: held };
      writes.push(`resize ${id} to ${to}`);
      sessions.set(id, { ...sessions.get(id)!, seats: to });
      return { ok: true };
    },
    moveSession: async (s) => void (writes.push(`move ${s.id}`), sessions.set(s.id, s)),
    removeSession: async (id) => {
      const held = heldAbove(id, 0);
      if (held.length) return { ok: false, heldSeatNos: held };
      writes.push(`remove ${id}`);
      sessions.delete(id);
      return { ok: true };
    },
    reservedSeats: async (id) => (reserved.get(id) ?? []).length,
  };
  const ports: TrainingReferencePorts = {
    reference,
    changes: { record: async (_actor, action, detail) => void audited.push({ action, detail }) },
    seatViews: { projectSessionSeats: async (ids) => void projected.push(...ids) },
  };
  return { ports, writes, audited, projected, sessions };
}

describe('a prerequisite cycle', () => {
  it('when courses need each other through a third, then the cycle is named as the path that closes it', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
    ]);
    expect(prerequisiteCycle(graph)).toEqual(['a', 'b', 'c', 'a']);
    expect(prerequisiteCycle(new Map([...graph, ['c', []]]))).toBeNull();
  });
});

describe('saving a course', () => {
  it('when a prerequisite is no known course, then invalid naming prerequisiteIds, and nothing is stored', async () => {
    const training = fakeTraining();
    const refused = await refusal(saveCourse(training.ports, coordinator, course('advanced', ['nowhere'])));
    expect(refused).toMatchObject({
      kind: 'invalid',
      message: 'prerequisiteIds: unknown course nowhere',
      details: [{ path: 'prerequisiteIds', message: 'unknown course nowhere' }],
    });
    expect(training.writes).toEqual([]);
    expect(training.audited).toEqual([]);
  });

  it('when the change closes a prerequisite cycle, then invalid naming prerequisiteIds and the cycle', async () => {
    const training = fakeTraining({ courses: [course('basics'), course('advanced', ['basics'])] });
    const refused = await refusal(saveCourse(training.ports, coordinator, course('basics', ['advanced'])));
    expect(refused.kind).toBe('invalid');
    expect(refused.details).toEqual([
      { path: 'prerequisiteIds', message: 'prerequisite cycle basics -> advanced -> basics' },
    ]);
    expect(training.writes).toEqual([]);
  });

  it('when the prerequisites are known and acyclic, then the course is stored and audited as saved', async () => {
    const training = fakeTraining();
    const advanced = course('advanced', ['basics']);
    expect(await saveCourse(training.ports, coordinator, advanced)).toEqual(advanced);
    expect(training.writes).toEqual(['course advanced']);
    expect(training.audited).toEqual([{ action: 'training.course.saved', detail: advanced }]);
  });
});

describe('saving a session', () => {
  it('when its course or site is unknown, then invalid naming courseId or siteId, and nothing is written', async () => {
    const training = fakeTraining();
    const noCourse = await refusal(saveSession(training.ports, coordinator, session({ courseId: 'x' })));
    expect(noCourse).toMatchObject({
      kind: 'invalid',
      details: [{ path: 'courseId', message: 'unknown course x' }],
    });
    const noSite = await refusal(saveSession(training.ports, coordinator, session({ siteId: 'y' })));
    expect(noSite).toMatchObject({
      kind: 'invalid',
      details: [{ path: 'siteId', message: 'unknown site y' }],
    });
    expect(training.writes).toEqual([]);
  });

  it('when it is new, then it is stored, its seats projected, audited as created, and all its seats are left', async () => {
    const training = fakeTraining();
    const saved = await saveSession(training.ports, coordinator, session());
    expect(saved).toEqual({ ...session(), seatsReserved: 0, seatsLeft: 10 });
    expect(training.writes).toEqual(['insert s1']);
    expect(training.projected).toEqual(['s1']);
    expect(training.audited).toEqual([{ action: 'training.session.created', detail: session() }]);
  });

  it('when another request created it first, then conflict', async () => {
    const training = fakeTraining();
    training.ports.reference.session = async () => null;
    training.sessions.set('s1', session());
    const refused = await refusal(saveSession(training.ports, coordinator, session()));
    expect(refused).toMatchObject({
      kind: 'conflict',
      message: 'session s1 was created concurrently; retry',
    });
  });

  it('when seats are reserved and its dates change, then conflict naming what may not change, and nothing is written', async () => {
    const training = fakeTraining({ sessions: [session()], reservedSeatNos: { s1: [1, 2] } });
    const moved = session({ start: '2030-04-01', end: '2030-04-14' });
    const refused = await refusal(saveSession(training.ports, coordinator, moved));
    expect(refused).toMatchObject({
      kind: 'conflict',
      message: 'session s1 has 2 seats reserved; its start, end cannot change',
    });
    expect(training.writes).toEqual([]);
    expect(training.audited).toEqual([]);
  });

  it('when it would shrink below seats that are held, then conflict naming the held seats', async () => {
    const training = fakeTraining({ sessions: [session()], reservedSeatNos: { s1: [1, 7, 8] } });
    const refused = await refusal(saveSession(training.ports, coordinator, session({ seats: 6 })));
    expect(refused).toMatchObject({
      kind: 'conflict',
      message: 'seats 7, 8 of session s1 are held; it cannot shrink to 6',
    });
    expect(training.writes).toEqual([]);
  });

  it('when it shrinks above the seats held, then it is resized, audited as changed with its previous terms, and the seats left counted', async () => {
    const training = fakeTraining({ sessions: [session()], reservedSeatNos: { s1: [1, 2] } });
    const saved = await saveSession(training.ports, coordinator, session({ seats: 6 }));
    expect(saved).toMatchObject({ seats: 6, seatsReserved: 2, seatsLeft: 4 });
    expect(training.writes).toEqual(['resize s1 to 6', 'move s1']);
    expect(training.projected).toEqual(['s1']);
    expect(training.audited).toEqual([
      {
        action: 'training.session.changed',
        detail: { ...session({ seats: 6 }), previous: { seats: 10, start: '2030-03-01', end: '2030-03-14' } },
      },
    ]);
  });
});

describe('removing a session', () => {
  it('when there is no such session, then not_found', async () => {
    const training = fakeTraining();
    expect((await refusal(removeSession(training.ports, coordinator, 's1'))).kind).toBe('not_found');
  });

  it('when any of its seats is reserved, then conflict, and it stays', async () => {
    const training = fakeTraining({ sessions: [session()], reservedSeatNos: { s1: [3] } });
    const refused = await refusal(removeSession(training.ports, coordinator, 's1'));
    expect(refused).toMatchObject({
      kind: 'conflict',
      message: 'session s1 holds reserved seats (3); it cannot be removed',
    });
    expect(training.sessions.has('s1')).toBe(true);
    expect(training.audited).toEqual([]);
  });

  it('when none is reserved, then it is removed, its seats projected and the removal audited', async () => {
    const training = fakeTraining({ sessions: [session()] });
    await removeSession(training.ports, coordinator, 's1');
    expect(training.sessions.has('s1')).toBe(false);
    expect(training.projected).toEqual(['s1']);
    expect(training.audited).toEqual([{ action: 'training.session.removed', detail: { id: 's1' } }]);
  });
});
