import type { PledgeStatus } from '../schemas/pledge';
import type { Course, Session } from '../schemas/reference';
import type { CapacityCell, CapacityView } from '../schemas/training-portfolio';
import { addDays } from './dates';
import type { TraineeGroup } from './types';

/** Pledges whose crews count as training demand: in review or later, and neither rejected nor withdrawn. */
const portfolioStatuses: ReadonlySet<PledgeStatus> = new Set<PledgeStatus>([
  'UNDER_REVIEW',
  'CHANGES_REQUESTED',
  'TRAINING_PLANNING',
  'AWAITING_APPROVAL',
  'RETURNED',
  'APPROVED',
  'IN_TRAINING',
  'READY',
]);

export const inTrainingPortfolio = (status: PledgeStatus): boolean => portfolioStatuses.has(status);

/** The month (YYYY-MM) `n` months after `month` (before it when negative). */
export function addMonths(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Months from `from` to `to`, both included; empty when `to` is before `from`. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
  return months;
}

/**
 * When each course of the group's chain must start at the latest for its trainees to be ready by the deadline:
 * the chain is walked back from the deadline, each course taking its duration.
 */
export function latestStarts(
  group: Pick<TraineeGroup, 'courseChain' | 'deadline'>,
  courses: ReadonlyMap<string, Course>,
): Array<{ courseId: string; start: string }> {
  const starts: Array<{ courseId: string; start: string }> = [];
  let end = group.deadline;
  for (const courseId of [...group.courseChain].reverse()) {
    const start = addDays(end, -(courses.get(courseId)?.durationDays ?? 0));
    starts.unshift({ courseId, start });
    end = start;
  }
  return starts;
}

export interface CapacityInput {
  from: string;
  to: string;
  courses: Course[];
  sessions: Session[];
  /** Seats reserved in a session, by every pledge. */
  reservedIn: (sessionId: string) => number;
  /** The trainee groups of every pledge in the portfolio. */
  demand: TraineeGroup[];
  pledges: number;
}

/**
 * Seats offered, reserved and demanded per course and month. Supply is counted in the month a session starts;
 * demand in the month its trainees must start the course at the latest (see `latestStarts`), so a month where
 * more is demanded than offered is where deliveries will wait for crews unless they train earlier.
 */
export function capacityByMonth(input: CapacityInput): CapacityView {
  const months = monthsBetween(input.from, input.to);
  const courses = new Map(input.courses.map((c) => [c.id, c]));
  const cells = new Map<string, Omit<CapacityCell, 'month' | 'oversubscribed'>>();
  const cell = (courseId: string, month: string) => {
    const key = `${courseId} ${month}`;
    let found = cells.get(key);
    if (!found) cells.set(key, (found = { sessions: 0, offered: 0, reserved: 0, demanded: 0 }));
    return found;
  };
  const inRange = (date: string) => date.slice(0, 7) >= input.from && date.slice(0, 7) <= input.to;

  for (const session of input.sessions) {
    if (!inRange(session.start)) continue;
    const c = cell(session.courseId, session.start.slice(0, 7));
    c.sessions += 1;
    c.offered += session.seats;
    c.reserved += Math.min(session.seats, input.reservedIn(session.id));
  }
  for (const group of input.demand) {
    for (const { courseId, start } of latestStarts(group, courses)) {
      if (inRange(start)) cell(courseId, start.slice(0, 7)).demanded += group.trainees;
    }
  }

  const courseIds = [...new Set([...cells.keys()].map((key) => key.split(' ')[0]))].sort();
  return {
    from: input.from,
    to: input.to,
    months,
    courses: courseIds.map((courseId) => ({
      courseId,
      name: courses.get(courseId)?.name ?? courseId,
      cells: months.map((month) => {
        const c = cells.get(`${courseId} ${month}`) ?? { sessions: 0, offered: 0, reserved: 0, demanded: 0 };
        return { month, ...c, oversubscribed: c.demanded > c.offered };
      }),
    })),
    pledges: input.pledges,
  };
}
