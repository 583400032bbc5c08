import { describe, expect, it } from 'vitest';
import {
  ammunitionSupply,
  catalog,
  catalogById,
  coalitions,
  courseSites,
  courses,
  generateSessions,
  inventory,
  needs,
  sites,
} from '../../../domain/reference/seed-data';
import {
  Categories,
  Course,
  InventoryEntry,
  Need,
  Session,
  Site,
  System,
} from '../../../domain/schemas/reference';

const courseById = new Map(courses.map((c) => [c.id, c]));
const siteIds = new Set(sites.map((s) => s.id));
const contractIds = [
  'f-16',
  'mirage-2000-5',
  'gripen-c',
  'patriot',
  'iris-t-slm',
  'nasams',
  'samp-t',
  'm777',
  'caesar',
  'pzh-2000',
  'leopard-2a4',
  'abrams-m1a1',
  'bradley-m2',
  'himars',
];
const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
const unique = (values: string[]) => new Set(values).size === values.length;

describe('seed catalogue', () => {
  it('when the catalogue is read, then it has 30+ valid, uniquely named systems and the contract ids', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(30);
    expect(unique(catalog.map((s) => s.id))).toBe(true);
    for (const system of catalog) expect(System.parse(system)).toEqual(system);
    for (const id of contractIds) expect(catalogById.get(id)?.id).toBe(id);
  });

  it('when the catalogue is grouped, then every category and both howitzer calibres are covered', () => {
    for (const category of Categories) expect(catalog.some((s) => s.category === category)).toBe(true);
    const howitzerCalibres = catalog.filter((s) => s.category === 'howitzer').map((s) => s.calibers[0]);
    expect(howitzerCalibres).toEqual(expect.arrayContaining(['155mm', '105mm']));
  });

  it('when variants of one family are listed, then they share the family name', () => {
    const familyOf = (id: string) => catalogById.get(id)?.family;

    expect(familyOf('leopard-2a4')).toBe('Leopard 2');
    expect(familyOf('leopard-2a6')).toBe('Leopard 2');
    expect(familyOf('caesar-8x8')).toBe(familyOf('caesar'));
    expect(familyOf('mirage-2000-5')).toBe('Mirage 2000');
  });

  it('when a Patriot battery is counted, then about 90 troops run and maintain it', () => {
    const patriot = catalogById.get('patriot');

    expect((patriot?.crewPerUnit ?? 0) + (patriot?.maintainersPerUnit ?? 0)).toBe(90);
  });

  it('when systems name courses and coalitions, then each one exists', () => {
    const coalitionIds = new Set(coalitions.map((c) => c.id));
    for (const system of catalog) {
      expect(coalitionIds.has(system.coalition)).toBe(true);
      for (const id of system.courseIds) expect(courseById.has(id), `${system.id} -> ${id}`).toBe(true);
    }
  });
});

describe('seed inventory, supply and needs', () => {
  it('when the inventory is read, then it is valid and holds the families Ukraine operates', () => {
    for (const entry of inventory) expect(InventoryEntry.parse(entry)).toEqual(entry);
    const families = inventory.map((e) => e.family);
    for (const family of [
      'F-16',
      'MiG-29',
      'Su-27',
      'Su-24',
      'Su-25',
      'Patriot',
      'IRIS-T',
      'Gepard',
      'M777',
      'HIMARS',
    ]) {
      expect(families).toContain(family);
    }
    expect(inventory.filter((e) => e.category === 'howitzer' && e.calibers.includes('155mm'))).toHaveLength(
      7,
    );
    expect(unique(inventory.map((e) => `${e.category}:${e.family}`))).toBe(true);
  });

  it('when a catalogued family is in service, then one of its systems shares the inventory category', () => {
    for (const entry of inventory) {
      const systems = catalog.filter((s) => s.family === entry.family);
      if (systems.length > 0)
        expect(
          systems.some((s) => s.category === entry.category),
          entry.family,
        ).toBe(true);
    }
  });

  it('when the ammunition supply is read, then it leaves out the scarce calibres on purpose', () => {
    expect(ammunitionSupply).toEqual(
      expect.arrayContaining(['155mm', '152mm', 'GMLRS', 'PAC-3 MSE', 'AIM-120 AMRAAM']),
    );
    for (const scarce of ['35mm', '120mm rifled', 'Aster 30']) expect(ammunitionSupply).not.toContain(scarce);
  });

  it('when the needs are read, then they are valid, unique and span priorities 1..5', () => {
    for (const need of needs) expect(Need.parse(need)).toEqual(need);
    expect(unique(needs.map((n) => n.id))).toBe(true);
    expect(needs.length).toBeGreaterThanOrEqual(10);
    expect(needs.filter((n) => n.priority === 1).map((n) => n.category)).toEqual(
      expect.arrayContaining(['air-defence-long', 'howitzer']),
    );
  });

  it('when coalitions are read, then there are 8, each led by at least two nations', () => {
    expect(coalitions).toHaveLength(8);
    for (const c of coalitions) expect(c.leads.length).toBeGreaterThanOrEqual(2);
  });
});

describe('seed training', () => {
  it('when courses and sites are read, then they are valid and unique, with min cohort <= max', () => {
    for (const course of courses) {
      expect(Course.parse(course)).toEqual(course);
      expect(course.minCohort).toBeLessThanOrEqual(course.maxCohort);
    }
    for (const site of sites) expect(Site.parse(site)).toEqual(site);
    expect(unique(courses.map((c) => c.id))).toBe(true);
    expect(unique(sites.map((s) => s.id))).toBe(true);
  });

  it('when prerequisites and course sites are followed, then every reference resolves', () => {
    for (const course of courses) {
      for (const id of course.prerequisiteIds) expect(courseById.has(id), `${course.id} -> ${id}`).toBe(true);
      expect(courseSites[course.id]?.length, course.id).toBeGreaterThan(0);
      for (const id of courseSites[course.id]) expect(siteIds.has(id), `${course.id} @ ${id}`).toBe(true);
    }
    expect(Object.keys(courseSites).sort()).toEqual(courses.map((c) => c.id).sort());
    expect(courseById.get('f16-conversion')?.prerequisiteIds).toContain('aviation-english');
  });

  it('when prerequisites are followed from any course, then no course leads back to itself', () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const acyclic = (id: string): boolean => {
      if (done.has(id)) return true;
      if (visiting.has(id)) return false;
      visiting.add(id);
      const ok = (courseById.get(id)?.prerequisiteIds ?? []).every(acyclic);
      visiting.delete(id);
      done.add(id);
      return ok;
    };

    for (const course of courses) expect(acyclic(course.id), course.id).toBe(true);
  });
});

describe('generateSessions', () => {
  const from = '2026-01-01';
  const sessions = generateSessions(from);

  it('when called twice with the same start, then the sessions are identical', () => {
    expect(generateSessions(from)).toEqual(sessions);
    expect(sessions.map((s) => s.id)).toContain('f16-conversion-tucson-20260129');
  });

  it('when sessions are generated, then they are valid, unique and held within 18 months', () => {
    expect(unique(sessions.map((s) => s.id))).toBe(true);
    for (const session of sessions) {
      expect(Session.parse(session)).toEqual(session);
      expect(session.start > from).toBe(true);
      expect(session.end <= '2027-07-01').toBe(true);
    }
  });

  it('when a session is generated, then it lasts its course and seats its max cohort', () => {
    for (const session of sessions) {
      const course = courseById.get(session.courseId);
      expect(daysBetween(session.start, session.end)).toBe(course?.durationDays);
      expect(session.seats).toBe(course?.maxCohort);
      expect(courseSites[session.courseId]).toContain(session.siteId);
    }
  });

  it('when 18 months are planned, then every course runs at every one of its sites', () => {
    for (const course of courses) {
      for (const siteId of courseSites[course.id]) {
        expect(
          sessions.some((s) => s.courseId === course.id && s.siteId === siteId),
          `${course.id} @ ${siteId}`,
        ).toBe(true);
      }
    }
  });

  it('when a shorter horizon is asked for, then it gets a strict subset', () => {
    const short = generateSessions(from, 6);

    expect(short.length).toBeLessThan(sessions.length);
    expect(short.every((s) => s.end <= '2026-07-01' && sessions.some((l) => l.id === s.id))).toBe(true);
  });

  it.each(['2026-02-30', '01/01/2026', '2026-1-1', ''])('when the start is %j, then it is refused', (bad) => {
    expect(() => generateSessions(bad)).toThrow(RangeError);
  });
});
