/**
 * Training scheduler benchmark: MIP (HiGHS) against the greedy baseline on generated, reproducible instances.
 * Run with `npx tsx bench/scheduler.ts`; prints JSON and writes bench/results/scheduler.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PledgeItem } from '../domain/schemas/pledge';
import type { Course, System } from '../domain/schemas/reference';
import { trainingDemand } from '../domain/training/demand';
import { objectiveWeights, prepareInstance } from '../domain/training/instance';
import { mipVariableCount } from '../domain/training/mip-model';
import { defaultTimeLimitSeconds, greedySchedule, scheduleTraining } from '../domain/training/scheduler';
import type { OfferedSession, ScheduleInput, TrainingPlan } from '../domain/training/types';
import { seeded } from './lib/seeded';

interface Size {
  name: string;
  groups: number;
  sessions: number;
  levels: number;
  seed: number;
  /** Also solve with the MIP above the variable threshold, to show why the threshold exists. */
  forceMip?: boolean;
}

const sizes: Size[] = [
  { name: 'small', groups: 40, sessions: 20, levels: 3, seed: 11 },
  { name: 'medium', groups: 200, sessions: 60, levels: 4, seed: 22 },
  { name: 'large', groups: 600, sessions: 150, levels: 4, seed: 33 },
  { name: 'x-large', groups: 2000, sessions: 400, levels: 5, seed: 44, forceMip: true },
];

const dateAt = (day: number): string => new Date(Date.UTC(2026, 0, 5 + day)).toISOString().slice(0, 10);

function generate(size: Size): ScheduleInput {
  const random = seeded(size.seed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(values: T[]): T => values[int(0, values.length - 1)];

  // Courses in tracks of `levels` courses: each course above level 0 needs the one below it on its track.
  const coursesPerLevel = Math.max(2, Math.round(size.sessions / (size.levels * 5)));
  const levels: Course[][] = [];
  for (let level = 0; level < size.levels; level++) {
    levels.push(
      Array.from({ length: coursesPerLevel }, (_v, i) => {
        const minCohort = int(1, 3);
        return {
          id: `l${level}-c${i}`,
          name: `Level ${level} course ${i}`,
          durationDays: int(10, 40),
          prerequisiteIds: level === 0 ? [] : [levels[level - 1][i].id],
          minCohort,
          maxCohort: minCohort + int(8, 20),
          audience: i % 2 === 0 ? 'crew' : 'maintainer',
        };
      }),
    );
  }
  const courses = levels.flat();
  const top = levels[levels.length - 1];

  const systems: System[] = Array.from({ length: Math.max(5, Math.round(size.groups / 8)) }, (_v, i) => ({
    id: `sys-${i}`,
    name: `System ${i}`,
    family: `family-${i}`,
    category: 'howitzer',
    coalition: 'artillery',
    origin: 'DEU',
    calibers: [],
    crewPerUnit: int(1, 3),
    maintainersPerUnit: int(1, 2),
    courseIds: [
      pick(top.filter((c) => c.audience === 'crew')),
      pick(top.filter((c) => c.audience === 'maintainer')),
    ].map((c) => c.id),
    maintenanceBurden: 'medium',
  }));
  const catalog = new Map(systems.map((s) => [s.id, s]));

  const items: PledgeItem[] = [];
  let groups: ScheduleInput['groups'] = [];
  while (groups.length < size.groups) {
    const from = dateAt(int(150, 540));
    items.push({ systemId: pick(systems).id, quantity: int(1, 4), deliveryWindow: { from, to: from } });
    groups = trainingDemand(items, catalog, new Map(courses.map((c) => [c.id, c])));
  }
  groups = groups.slice(0, size.groups);

  // Each course recurs through the year; higher levels start later so that chains can fit before deliveries.
  // Seats per course are 60-120 % of its demand, so some courses are the bottleneck and some are not.
  const demand = new Map<string, number>();
  for (const g of groups) for (const id of g.courseChain) demand.set(id, (demand.get(id) ?? 0) + g.trainees);
  const sessions: OfferedSession[] = Array.from({ length: size.sessions }, (_v, i) => {
    const course = courses[i % courses.length];
    const level = Number(course.id.slice(1, course.id.indexOf('-')));
    const run = Math.floor(i / courses.length);
    const runs = Math.ceil(size.sessions / courses.length);
    const start = level * 40 + Math.floor((run * 420) / runs) + int(0, 30);
    const seats = Math.max(8, Math.round(((demand.get(course.id) ?? 0) / runs) * (0.6 + 0.6 * random())));
    return {
      id: `s-${i}`,
      courseId: course.id,
      siteId: `site-${int(0, 5)}`,
      start: dateAt(start),
      end: dateAt(start + course.durationDays),
      seats,
      seatsTaken: random() < 0.3 ? int(0, Math.floor(seats / 2)) : 0,
    };
  });
  return { groups, courses, sessions };
}

/** Solver figures; readyBound turns the dual bound into a ceiling on trainees ready by deadline. */
function report(plan: TrainingPlan, readyWeight: number) {
  return {
    method: plan.solver.method,
    status: plan.solver.status,
    timeMs: plan.solver.timeMs,
    objective: plan.solver.objective,
    bound: plan.solver.bound,
    gap: plan.solver.gap,
    traineesReadyByDeadline: plan.traineesReadyByDeadline,
    readyBound: plan.solver.bound === null ? null : Math.floor(plan.solver.bound / readyWeight),
    traineesTrainedLate: plan.unmet
      .filter((u) => u.reason === 'after_deadline')
      .reduce((n, u) => n + u.trainees, 0),
    cohorts: plan.cohorts.length,
  };
}

async function main(): Promise<void> {
  // Loading the WASM solver takes about a second once per process; keep it out of the first timing.
  await scheduleTraining(generate({ name: 'warm-up', groups: 2, sessions: 4, levels: 1, seed: 1 }));
  const results = [];
  for (const size of sizes) {
    const input = generate(size);
    const instance = prepareInstance(input);
    const readyWeight = objectiveWeights(instance.groups, instance.slots).ready;
    const greedy = greedySchedule(input);
    const mip = await scheduleTraining(input);
    const forced = size.forceMip
      ? await scheduleTraining({ ...input, maxMipVariables: Number.POSITIVE_INFINITY })
      : null;
    results.push({
      name: size.name,
      seed: size.seed,
      groups: input.groups.length,
      sessions: input.sessions.length,
      levels: size.levels,
      courses: input.courses.length,
      traineesNeeded: greedy.traineesNeeded,
      seatsOffered: input.sessions.reduce((n, s) => n + s.seats - s.seatsTaken, 0),
      mipVariables: mipVariableCount(instance),
      greedy: report(greedy, readyWeight),
      mip: report(mip, readyWeight),
      ...(forced ? { mipAboveThreshold: report(forced, readyWeight) } : {}),
    });
  }
  const output = JSON.stringify(
    { node: process.version, timeLimitSeconds: defaultTimeLimitSeconds, results },
    null,
    2,
  );
  process.stdout.write(`${output}\n`);
  const directory = join(__dirname, 'results');
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'scheduler.json'), `${output}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
