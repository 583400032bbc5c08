import { describe, expect, it } from 'vitest';
import type { Course, System } from '../../../domain/schemas/reference';
import { TrainingReferenceError, trainingDemand } from '../../../domain/training/demand';
import { course, system } from './fixtures';

const courses = new Map<string, Course>(
  [
    course('aviation-english'),
    course('basic-flight', { prerequisiteIds: ['aviation-english'] }),
    course('f16-conversion', { prerequisiteIds: ['basic-flight', 'aviation-english'] }),
    course('f16-maintenance', { audience: 'maintainer', prerequisiteIds: ['technical-english'] }),
    course('technical-english', { audience: 'all' }),
    course('safety', { audience: 'all' }),
  ].map((c) => [c.id, c]),
);
const f16 = system('f-16', {
  crewPerUnit: 2,
  maintainersPerUnit: 5,
  courseIds: ['f16-conversion', 'f16-maintenance', 'safety'],
});
const catalog = new Map<string, System>([[f16.id, f16]]);
const window = (from: string) => ({ from, to: '2026-12-31' });

describe('trainingDemand', () => {
  it('when an item is pledged, then crew and maintainers get their chains with prerequisites first', () => {
    const groups = trainingDemand(
      [{ systemId: 'f-16', quantity: 3, deliveryWindow: window('2026-06-01') }],
      catalog,
      courses,
    );

    expect(groups).toEqual([
      {
        id: 'f-16-crew-2026-06-01',
        systemId: 'f-16',
        audience: 'crew',
        trainees: 6,
        courseChain: ['aviation-english', 'basic-flight', 'f16-conversion', 'safety'],
        deadline: '2026-06-01',
      },
      {
        id: 'f-16-maintainer-2026-06-01',
        systemId: 'f-16',
        audience: 'maintainer',
        trainees: 15,
        courseChain: ['technical-english', 'f16-maintenance', 'safety'],
        deadline: '2026-06-01',
      },
    ]);
  });

  it('when two items share system and delivery start, then their trainees merge; other dates stay apart', () => {
    const groups = trainingDemand(
      [
        { systemId: 'f-16', quantity: 1, deliveryWindow: window('2026-09-01') },
        { systemId: 'f-16', quantity: 2, deliveryWindow: window('2026-06-01') },
        { systemId: 'f-16', quantity: 4, deliveryWindow: window('2026-06-01') },
      ],
      catalog,
      courses,
    );

    expect(groups.map((g) => [g.id, g.trainees])).toEqual([
      ['f-16-crew-2026-06-01', 12],
      ['f-16-crew-2026-09-01', 2],
      ['f-16-maintainer-2026-06-01', 30],
      ['f-16-maintainer-2026-09-01', 5],
    ]);
  });

  it('when every chain is checked, then each prerequisite comes before the course that needs it', () => {
    const groups = trainingDemand(
      [{ systemId: 'f-16', quantity: 1, deliveryWindow: window('2026-06-01') }],
      catalog,
      courses,
    );

    for (const g of groups) {
      for (const [i, id] of g.courseChain.entries()) {
        for (const prerequisite of courses.get(id)?.prerequisiteIds ?? []) {
          expect(g.courseChain.indexOf(prerequisite)).toBeGreaterThanOrEqual(0);
          expect(g.courseChain.indexOf(prerequisite)).toBeLessThan(i);
        }
      }
    }
  });

  it('when a system needs no maintainers, then no maintainer group is made', () => {
    const lean = system('lean', { crewPerUnit: 1, maintainersPerUnit: 0, courseIds: ['safety'] });
    const groups = trainingDemand(
      [{ systemId: 'lean', quantity: 2, deliveryWindow: window('2026-06-01') }],
      new Map([[lean.id, lean]]),
      courses,
    );

    expect(groups.map((g) => g.audience)).toEqual(['crew']);
  });

  it('when reference data is inconsistent, then it throws a TrainingReferenceError', () => {
    const item = { systemId: 'f-16', quantity: 1, deliveryWindow: window('2026-06-01') };
    const cyclic = new Map(courses);
    cyclic.set('aviation-english', course('aviation-english', { prerequisiteIds: ['f16-conversion'] }));

    expect(() => trainingDemand([{ ...item, systemId: 'nope' }], catalog, courses)).toThrow(
      TrainingReferenceError,
    );
    expect(() => trainingDemand([item], catalog, cyclic)).toThrow(/cycle/);
    expect(() => trainingDemand([item], catalog, new Map())).toThrow(/unknown course/);
  });
});
