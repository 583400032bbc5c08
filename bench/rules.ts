/**
 * Rules: the compatibility review (`reviewPledge`: every rule, then the score and recommendation) for 1k, 10k and
 * 100k generated pledges against the seeded catalogue, inventory, Ukraine's demo requirements and sessions. Each pledge is reviewed against
 * the same 200 other open pledges (the duplicate rule's context), as a review in production sees its donor's open
 * pledges, so the work per pledge should not depend on how many pledges are reviewed: the baseline is the 1k run's
 * time per pledge, and each size is reported as a ratio to it.
 *
 * The training estimate the review activity computes first (`estimateTrainingCapacity`) is timed apart: here it is
 * given only the sessions of the pledge's own course chains (the same result, as it reads no other session); the
 * 1k run also times it over all sessions, as the activity calls it.
 */
import type { PledgeInput } from '../domain/schemas/pledge';
import {
  ammunitionSupply,
  catalog,
  catalogById,
  courses,
  generateSessions,
  inventory,
} from '../domain/reference/seed-data';
import { demoRequirements } from '../domain/reference/demo-requirements';
import {
  reviewPledge,
  type PledgeUnderReview,
  type ReviewContext,
  type TrainingAssessment,
} from '../domain/review/review-pledge';
import { estimateTrainingCapacity } from '../domain/review/training-estimate';
import { defaultReviewPolicy } from '../domain/schemas/policy';
import { ratio, round } from './lib/stats';
import { seeded } from './lib/seeded';

const requirements = demoRequirements(2027).map(({ key, ...r }) => ({
  ...r,
  id: key,
  status: 'open' as const,
}));

const DONORS = ['FRA', 'DEU', 'NLD', 'DNK', 'NOR', 'SWE', 'POL', 'GBR', 'USA', 'ITA'];

const dayFrom = (base: number, days: number) => new Date(base + days * 86_400_000).toISOString().slice(0, 10);

/** Reproducible pledges of catalogued systems: 1-3 items, quantities, windows over the next two years. */
export function generatePledges(count: number, seed: number, prefix = 'PL'): PledgeUnderReview[] {
  const random = seeded(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const base = Date.UTC(2027, 0, 1);
  return Array.from({ length: count }, (_v, i) => {
    const items: PledgeInput['items'] = Array.from({ length: int(1, 3) }, () => {
      const from = int(30, 700);
      return {
        systemId: catalog[int(0, catalog.length - 1)].id,
        quantity: int(1, 20),
        deliveryWindow: { from: dayFrom(base, from), to: dayFrom(base, from + int(0, 180)) },
      };
    });
    return {
      id: `${prefix}${String(i).padStart(7, '0')}`,
      donor: DONORS[int(0, DONORS.length - 1)],
      items,
      trainingOffered: random() < 0.7,
      sustainment: { spareParts: random() < 0.6, maintenanceYears: int(0, 10) },
      valueEur: int(1, 2000) * 1_000_000,
    };
  });
}

/** Each system's courses with their prerequisites: the only sessions its training estimate reads. */
function sessionsBySystem<S extends { courseId: string }>(sessions: S[]): Map<string, S[]> {
  const byId = new Map(courses.map((c) => [c.id, c]));
  const out = new Map<string, S[]>();
  for (const system of catalog) {
    const wanted = new Set<string>();
    const visit = (id: string) => {
      if (wanted.has(id)) return;
      wanted.add(id);
      for (const pre of byId.get(id)?.prerequisiteIds ?? []) visit(pre);
    };
    system.courseIds.forEach(visit);
    out.set(
      system.id,
      sessions.filter((s) => wanted.has(s.courseId)),
    );
  }
  return out;
}

export interface RulesRun {
  pledges: number;
  estimateMs: number;
  rulesMs: number;
  totalMs: number;
  perPledgeUs: number;
  rulesPerPledgeUs: number;
  estimatePerPledgeUs: number;
  findings: number;
  recommendations: Record<string, number>;
}

export function runRules(counts: number[], log: (line: string) => void) {
  const sessions = generateSessions('2027-01-01', 24).map((s) => ({ ...s, seatsTaken: 0 }));
  const openPledges = generatePledges(200, 7, 'OPEN').map((p) => ({
    id: p.id,
    donor: p.donor,
    items: p.items,
  }));
  const supply = { catalog: catalogById, courses, sessions };
  const relevant = sessionsBySystem(sessions);
  const supplyFor = (p: PledgeUnderReview) => ({
    ...supply,
    sessions: [...new Set(p.items.map((i) => i.systemId))].flatMap((id) => relevant.get(id) ?? []),
  });
  const context = (training: TrainingAssessment): ReviewContext => ({
    catalog: catalogById,
    inventory,
    requirements,
    ammunitionSupply,
    openPledges,
    training,
    policy: defaultReviewPolicy,
  });

  const reviewAll = (pledges: PledgeUnderReview[]): RulesRun => {
    const t0 = performance.now();
    const trainings = pledges.map((p) => estimateTrainingCapacity(p, supplyFor(p)));
    const t1 = performance.now();
    let findings = 0;
    const recommendations: Record<string, number> = {};
    for (let i = 0; i < pledges.length; i++) {
      const review = reviewPledge(pledges[i], context(trainings[i]));
      findings += review.findings.length;
      recommendations[review.recommendation] = (recommendations[review.recommendation] ?? 0) + 1;
    }
    const t2 = performance.now();
    const n = pledges.length;
    return {
      pledges: n,
      estimateMs: round(t1 - t0),
      rulesMs: round(t2 - t1),
      totalMs: round(t2 - t0),
      perPledgeUs: round(((t2 - t0) * 1000) / n, 2),
      rulesPerPledgeUs: round(((t2 - t1) * 1000) / n, 2),
      estimatePerPledgeUs: round(((t1 - t0) * 1000) / n, 2),
      findings,
      recommendations,
    };
  };

  // Warm the JIT on pledges that are not measured.
  reviewAll(generatePledges(2_000, 99, 'WARM'));
  const runs = counts.map((count, i) => {
    const run = reviewAll(generatePledges(count, 1000 + i));
    log(`rules: ${count} pledges in ${run.totalMs} ms (${run.perPledgeUs} µs per pledge)`);
    return run;
  });
  const base = runs[0];
  const sample = generatePledges(base.pledges, 1000);
  const u0 = performance.now();
  for (const p of sample) estimateTrainingCapacity(p, supply);
  const unfilteredEstimateUs = round(((performance.now() - u0) * 1000) / sample.length, 2);
  log(`rules: training estimate over all ${sessions.length} sessions: ${unfilteredEstimateUs} µs per pledge`);
  return {
    unfilteredEstimatePerPledgeUs: unfilteredEstimateUs,
    catalogue: {
      systems: catalog.length,
      courses: courses.length,
      sessions: sessions.length,
      openPledgesInContext: openPledges.length,
    },
    baselineCount: base.pledges,
    runs: runs.map((r) => ({
      ...r,
      ratioRulesPerPledge: ratio(r.rulesPerPledgeUs, base.rulesPerPledgeUs),
      ratioPerPledge: ratio(r.perPledgeUs, base.perPledgeUs),
    })),
  };
}
