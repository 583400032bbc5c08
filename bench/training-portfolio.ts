/**
 * Training portfolio: a scarce portfolio of pledges waiting for their training plans (200 pledges over 60
 * sessions by default), planned two ways in the same run:
 * - pledge by pledge, in the order they were submitted, each against the seats the ones before it took (how
 *   the engine planned before the portfolio planner, and how a coordinator working one pledge at a time would);
 * - as one portfolio (`schedulePortfolio`), each trainee weighted by the priority of the requirement it serves.
 * Reports trainees ready by their delivery date (plain and weighted by need), and the time each took.
 * Run with `npx tsx bench/training-portfolio.ts` (BENCH_PORTFOLIO_PLEDGES, BENCH_PORTFOLIO_SESSIONS to resize);
 * prints JSON and writes bench/results/training-portfolio.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PledgeItem } from '../domain/schemas/pledge';
import type { Course, Session } from '../domain/schemas/reference';
import { catalog, courses } from '../domain/reference/seed-data';
import { addDays } from '../domain/training/dates';
import { trainingDemand } from '../domain/training/demand';
import {
  needWeight,
  schedulePortfolio,
  weightedReadiness,
  type PortfolioDemand,
} from '../domain/training/portfolio';
import { scheduleTraining } from '../domain/training/scheduler';
import type { Cohort, OfferedSession, TraineeGroup } from '../domain/training/types';
import { seeded } from './lib/seeded';

const PLEDGES = Number(process.env.BENCH_PORTFOLIO_PLEDGES ?? 200);
const SESSIONS = Number(process.env.BENCH_PORTFOLIO_SESSIONS ?? 60);
/** Seats offered per seat demanded over the horizon: below 1 the portfolio is scarce. */
const SUPPLY_RATIO = Number(process.env.BENCH_PORTFOLIO_SUPPLY ?? 0.7);
const TODAY = '2027-01-04';

interface Portfolio {
  pledges: PortfolioDemand[];
  sessions: OfferedSession[];
  courses: Course[];
}

/**
 * Pledges of a few seeded systems that share courses (fighters share aviation English, air defence systems
 * their own chains), delivered 4-18 months out, each serving a requirement of priority 1-5; and sessions of
 * those courses spread over 18 months with seats for SUPPLY_RATIO of the demand.
 */
function generate(seed = 7): Portfolio {
  const random = seeded(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const courseById = new Map(courses.map((c) => [c.id, c]));
  const catalogById = new Map(catalog.map((s) => [s.id, s]));
  const systems = catalog.filter((s) => {
    try {
      return trainingDemand([item(s.id, 1, TODAY)], catalogById, courseById).length > 0;
    } catch {
      return false;
    }
  });
  const pool = systems.filter((s) => ['aircraft', 'air_defence', 'artillery'].includes(s.category));
  const chosen = (pool.length >= 6 ? pool : systems).slice(0, 8);

  const pledges: PortfolioDemand[] = [];
  for (let i = 0; i < PLEDGES; i++) {
    const system = chosen[int(0, chosen.length - 1)];
    const deadline = addDays(TODAY, int(120, 540));
    const groups = trainingDemand([item(system.id, int(1, 4), deadline)], catalogById, courseById);
    const weight = needWeight(int(1, 5));
    pledges.push({
      pledgeId: `P${String(i).padStart(3, '0')}`,
      groups: groups.map((g) => ({ ...g, weight })),
    });
  }

  const demand = new Map<string, number>();
  for (const p of pledges)
    for (const g of p.groups)
      for (const id of g.courseChain) demand.set(id, (demand.get(id) ?? 0) + g.trainees);
  const used = [...demand.keys()].sort();
  const runs = Math.max(1, Math.floor(SESSIONS / used.length));
  const sessions: OfferedSession[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const course = courseById.get(used[i % used.length])!;
    const run = Math.floor(i / used.length);
    const start = addDays(TODAY, 7 + Math.floor((run * 540) / runs) + int(0, 40));
    const seats = Math.max(
      course.minCohort,
      Math.round(((demand.get(course.id) ?? 0) / runs) * SUPPLY_RATIO),
    );
    const session: Session = {
      id: `S${String(i).padStart(2, '0')}`,
      courseId: course.id,
      siteId: `site-${i % 7}`,
      start,
      end: addDays(start, course.durationDays),
      seats,
    };
    sessions.push({ ...session, seatsTaken: 0 });
  }
  return { pledges, sessions, courses: courses.filter((c) => demand.has(c.id)) };
}

function item(systemId: string, quantity: number, from: string): PledgeItem {
  return { systemId, quantity, deliveryWindow: { from, to: addDays(from, 60) } };
}

interface Outcome {
  traineesNeeded: number;
  traineesReadyByDeadline: number;
  weightedReadyByDeadline: number;
  /** Trainees of priority-1 requirements (weight 5) ready by their deadline, of those needed. */
  mostUrgentReady: string;
  timeMs: number;
}

function outcome(groups: TraineeGroup[], cohorts: Cohort[], timeMs: number): Outcome {
  const urgent = groups.filter((g) => g.weight === 5);
  return {
    traineesNeeded: groups.reduce((n, g) => n + g.trainees, 0),
    traineesReadyByDeadline: weightedReadiness(
      groups.map((g) => ({ ...g, weight: 1 })),
      cohorts,
    ),
    weightedReadyByDeadline: weightedReadiness(groups, cohorts),
    mostUrgentReady: `${weightedReadiness(
      urgent.map((g) => ({ ...g, weight: 1 })),
      cohorts,
    )} of ${urgent.reduce((n, g) => n + g.trainees, 0)}`,
    timeMs: Math.round(timeMs),
  };
}

/** One pledge at a time, in submission order, against the seats the earlier ones took. */
async function pledgeByPledge(p: Portfolio) {
  const started = performance.now();
  const taken = new Map<string, number>();
  const all: Cohort[] = [];
  const groups: TraineeGroup[] = [];
  for (const pledge of p.pledges) {
    const own = pledge.groups.map((g) => ({ ...g, id: `${pledge.pledgeId}/${g.id}` }));
    groups.push(...own);
    const plan = await scheduleTraining({
      groups: own,
      courses: p.courses,
      sessions: p.sessions.map((s) => ({ ...s, seatsTaken: taken.get(s.id) ?? 0 })),
      constraints: { notBefore: addDays(TODAY, 1) },
      today: TODAY,
    });
    for (const c of plan.cohorts) taken.set(c.sessionId, (taken.get(c.sessionId) ?? 0) + c.trainees);
    all.push(...plan.cohorts);
  }
  return outcome(groups, all, performance.now() - started);
}

async function asPortfolio(p: Portfolio) {
  const started = performance.now();
  const schedule = await schedulePortfolio(p.pledges, {
    courses: p.courses,
    sessions: p.sessions,
    constraints: { notBefore: addDays(TODAY, 1) },
    today: TODAY,
  });
  const groups = p.pledges.flatMap((d) => d.groups.map((g) => ({ ...g, id: `${d.pledgeId}/${g.id}` })));
  const cohorts = p.pledges.flatMap((d) =>
    (schedule.cohorts.get(d.pledgeId) ?? []).map((c) => ({ ...c, groupId: `${d.pledgeId}/${c.groupId}` })),
  );
  return { ...outcome(groups, cohorts, performance.now() - started), solver: schedule.solver };
}

async function main() {
  const portfolio = generate();
  const sequential = await pledgeByPledge(portfolio);
  const joint = await asPortfolio(portfolio);
  const gain = (a: number, b: number) => (b === 0 ? null : Math.round(((a - b) / b) * 1000) / 10);
  const result = {
    at: new Date().toISOString(),
    pledges: portfolio.pledges.length,
    groups: portfolio.pledges.reduce((n, p) => n + p.groups.length, 0),
    sessions: portfolio.sessions.length,
    seatsOffered: portfolio.sessions.reduce((n, s) => n + s.seats, 0),
    supplyRatio: SUPPLY_RATIO,
    pledgeByPledge: sequential,
    portfolio: joint,
    moreReadyPercent: gain(joint.traineesReadyByDeadline, sequential.traineesReadyByDeadline),
    moreWeightedReadyPercent: gain(joint.weightedReadyByDeadline, sequential.weightedReadyByDeadline),
  };
  console.log(JSON.stringify(result, null, 2));
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'training-portfolio.json'), `${JSON.stringify(result, null, 2)}\n`);
}

void main();
