import { minimumRuleOf } from './instance';
import { cutoffOf } from './session-minimum';
import type { Cohort, ScheduleInput, TrainingPlan } from './types';

/**
 * Violations of a plan against its input: overbooked or unusable sessions, new trainees who leave a session past
 * its cutoff below its minimum (which counts every pledge's trainees), cohorts above the course's maximum, more
 * trainees than a group has, prerequisite order broken, sessions below their minimum left unflagged, wrong
 * totals. Re-derives everything from the input, so it does not trust the scheduler's own bookkeeping.
 */
export function checkPlan(plan: TrainingPlan, input: ScheduleInput): string[] {
  const violations: string[] = [];
  const sessions = new Map(input.sessions.map((s) => [s.id, s]));
  const courses = new Map(input.courses.map((c) => [c.id, c]));
  const groups = new Map(input.groups.map((g) => [g.id, g]));
  const excludedSites = new Set(input.constraints?.excludedSiteIds ?? []);
  const excludedSessions = new Set(input.constraints?.excludedSessionIds ?? []);
  const notBefore = input.constraints?.notBefore;
  const booked = new Map<string, number>();
  const seen = new Set<string>();
  const perGroupCourse = new Map<string, Cohort[]>();

  for (const cohort of plan.cohorts) {
    const where = `cohort ${cohort.id}`;
    const session = sessions.get(cohort.sessionId);
    const group = groups.get(cohort.groupId);
    const course = courses.get(cohort.courseId);
    if (!session || !group || !course) {
      violations.push(`${where}: unknown session, group or course`);
      continue;
    }
    if (session.courseId !== cohort.courseId || session.siteId !== cohort.siteId) {
      violations.push(`${where}: course or site differs from session ${session.id}`);
    }
    if (session.start !== cohort.start || session.end !== cohort.end)
      violations.push(`${where}: dates differ from session`);
    if (cohort.systemId !== group.systemId)
      violations.push(`${where}: system differs from group ${group.id}`);
    if (excludedSites.has(session.siteId) || excludedSessions.has(session.id))
      violations.push(`${where}: excluded session`);
    if (notBefore !== undefined && session.start < notBefore)
      violations.push(`${where}: starts before ${notBefore}`);
    if (!group.courseChain.includes(course.id))
      violations.push(`${where}: course ${course.id} not in the group's chain`);
    if (!Number.isInteger(cohort.trainees) || cohort.trainees < 1)
      violations.push(`${where}: ${cohort.trainees} trainees`);
    if (cohort.trainees > course.maxCohort)
      violations.push(`${where}: ${cohort.trainees} trainees, above the cohort maximum ${course.maxCohort}`);
    const key = `${group.id}|${session.id}`;
    if (seen.has(key))
      violations.push(`${where}: second cohort of group ${group.id} in session ${session.id}`);
    seen.add(key);
    booked.set(session.id, (booked.get(session.id) ?? 0) + cohort.trainees);
    const courseKey = `${group.id}|${course.id}`;
    const sameCourse = perGroupCourse.get(courseKey);
    if (sameCourse) sameCourse.push(cohort);
    else perGroupCourse.set(courseKey, [cohort]);
  }

  const rule = minimumRuleOf(input);
  const belowMinimum: string[] = [];
  for (const [sessionId, trainees] of booked) {
    const session = sessions.get(sessionId);
    const course = session && courses.get(session.courseId);
    if (!session || !course) continue;
    const free = session.seats - session.seatsTaken;
    if (trainees > free)
      violations.push(`session ${sessionId}: overbooked, ${trainees} trainees for ${free} free seats`);
    const cutoff = cutoffOf(session.start, rule.cutoffDays);
    const total = session.seatsTaken + trainees;
    if (total < course.minCohort) belowMinimum.push(sessionId);
    if (rule.today !== undefined && rule.today > cutoff && total < course.minCohort) {
      violations.push(
        `session ${sessionId}: past its cutoff ${cutoff} with ${total} trainees, below its minimum ${course.minCohort}`,
      );
    }
  }

  let readyByDeadline = 0;
  for (const group of input.groups) {
    const steps = group.courseChain.map((courseId) => perGroupCourse.get(`${group.id}|${courseId}`) ?? []);
    for (const [step, cohorts] of steps.entries()) {
      const total = sum(cohorts);
      if (total > group.trainees) {
        violations.push(
          `group ${group.id}: ${total} trainees in ${group.courseChain[step]}, only ${group.trainees} exist`,
        );
      }
      if (step > 0)
        violations.push(...orderViolations(group.id, group.courseChain[step - 1], steps[step - 1], cohorts));
    }
    const last = steps[steps.length - 1] ?? [];
    readyByDeadline += sum(last.filter((c) => c.end <= group.deadline));
  }

  const flagged = plan.sessionsBelowMinimum.map((s) => s.sessionId).sort();
  if (flagged.join() !== belowMinimum.sort().join()) {
    violations.push(
      `sessions below their minimum: plan flags [${flagged.join(', ')}], cohorts give [${belowMinimum.join(', ')}]`,
    );
  }

  const needed = input.groups.reduce((total, g) => total + Math.max(0, g.trainees), 0);
  if (plan.traineesNeeded !== needed)
    violations.push(`traineesNeeded ${plan.traineesNeeded}, expected ${needed}`);
  if (plan.traineesReadyByDeadline !== readyByDeadline) {
    violations.push(
      `traineesReadyByDeadline ${plan.traineesReadyByDeadline}, cohorts give ${readyByDeadline}`,
    );
  }
  return violations;
}

/**
 * Trainees are interchangeable, so a course can be started by k trainees at time t only if at least k
 * finished the previous course strictly before t (then a matching of trainees to chains exists).
 */
function orderViolations(
  groupId: string,
  previousId: string,
  previous: Cohort[],
  cohorts: Cohort[],
): string[] {
  const violations: string[] = [];
  for (const cohort of cohorts) {
    const started = sum(cohorts.filter((c) => c.start <= cohort.start));
    const finished = sum(previous.filter((c) => c.end < cohort.start));
    if (started > finished) {
      violations.push(
        `group ${groupId}: ${started} trainees started ${cohort.courseId} by ${cohort.start}, only ${finished} finished ${previousId} before`,
      );
    }
  }
  return violations;
}

function sum(cohorts: Cohort[]): number {
  return cohorts.reduce((total, c) => total + c.trainees, 0);
}
