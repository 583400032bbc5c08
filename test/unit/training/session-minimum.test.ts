import { describe, expect, it } from 'vitest';
import { checkPlan, greedySchedule, scheduleTraining } from '../../../domain/training/scheduler';
import { sessionsShortAtCutoff } from '../../../domain/training/session-minimum';
import type { OfferedSession, ScheduleInput, TrainingPlan } from '../../../domain/training/types';
import { course, group, session } from './fixtures';

const plusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

// As in the reference data: aviation English (minimum 8 of 16) every quarter at one school, then conversion.
const english = course('aviation-english', { durationDays: 112, minCohort: 8, maxCohort: 16 });
const conversion = course('f16-conversion', {
  durationDays: 180,
  minCohort: 4,
  maxCohort: 8,
  prerequisiteIds: ['aviation-english'],
});
const englishSessions = ['2026-04-16', '2026-07-16', '2026-10-15', '2027-01-14'].map((start) =>
  session(`english-${start}`, 'aviation-english', start, plusDays(start, 112), 16),
);
const conversionSessions = ['2026-09-01', '2026-12-01', '2027-03-01', '2027-06-01'].map((start) =>
  session(`conversion-${start}`, 'f16-conversion', start, plusDays(start, 180), 8),
);
const chain = ['aviation-english', 'f16-conversion'];
const today = '2026-03-01';

const pilots = (pledge: string, deadline = '2027-12-01') => group(`${pledge}-f-16-crew`, 4, chain, deadline);

const inputFor = (
  pledge: string,
  over: Partial<ScheduleInput> = {},
  sessions: OfferedSession[] = [...englishSessions, ...conversionSessions],
): ScheduleInput => ({
  groups: [pilots(pledge)],
  courses: [english, conversion],
  sessions,
  today,
  sessionMinimumCutoffDays: 21,
  ...over,
});

/** The sessions as the next pledge sees them once the plan's cohorts hold their seats. */
const withReservations = (sessions: OfferedSession[], plan: TrainingPlan): OfferedSession[] =>
  sessions.map((s) => ({
    ...s,
    seatsTaken:
      s.seatsTaken + plan.cohorts.filter((c) => c.sessionId === s.id).reduce((n, c) => n + c.trainees, 0),
  }));

const sessionsOf = (plan: TrainingPlan) => plan.cohorts.map((c) => `${c.sessionId}:${c.trainees}`).sort();

describe('a course minimum applies to the session, counting every pledge', () => {
  it('when one pledge of 4 pilots plans alone, then it gets seats and its English session is flagged with its cutoff', async () => {
    const input = inputFor('a');

    const plan = await scheduleTraining(input);

    expect(sessionsOf(plan)).toEqual(['conversion-2026-09-01:4', 'english-2026-04-16:4']);
    expect(plan.unmet).toEqual([]);
    expect(plan.traineesReadyByDeadline).toBe(4);
    expect(plan.sessionsBelowMinimum).toEqual([
      {
        sessionId: 'english-2026-04-16',
        courseId: 'aviation-english',
        start: '2026-04-16',
        reserved: 0,
        planned: 4,
        minimum: 8,
        cutoff: '2026-03-26',
      },
    ]);
    expect(checkPlan(plan, input)).toEqual([]);
  });

  it('when a second pledge of 4 pilots is planned with the first one’s seats reserved, then both share the session and it is not flagged', async () => {
    const first = await scheduleTraining(inputFor('a'));
    const sessions = withReservations([...englishSessions, ...conversionSessions], first);
    const input = inputFor('b', {}, sessions);

    const second = await scheduleTraining(input);

    expect(sessionsOf(second)).toEqual(['conversion-2026-09-01:4', 'english-2026-04-16:4']);
    expect(second.sessionsBelowMinimum).toEqual([]);
    expect(second.unmet).toEqual([]);
    expect(checkPlan(second, input)).toEqual([]);
  });

  it('when the first pledge sits in a later session, then the second joins it rather than open an earlier one below its minimum', async () => {
    const first = await scheduleTraining(
      inputFor('a', { constraints: { excludedSessionIds: ['english-2026-04-16'] } }),
    );
    expect(sessionsOf(first)).toContain('english-2026-07-16:4');
    const input = inputFor('b', {}, withReservations([...englishSessions, ...conversionSessions], first));

    const [mip, greedy] = [await scheduleTraining(input), greedySchedule(input)];

    for (const plan of [mip, greedy]) {
      expect(plan.cohorts.find((c) => c.courseId === 'aviation-english')?.sessionId).toBe(
        'english-2026-07-16',
      );
      expect(plan.sessionsBelowMinimum).toEqual([]);
      expect(plan.traineesReadyByDeadline).toBe(4);
      expect(checkPlan(plan, input)).toEqual([]);
    }
  });

  it('when joining the fuller session would miss the delivery date, then the earlier session is taken and flagged', async () => {
    const first = await scheduleTraining(
      inputFor('a', { constraints: { excludedSessionIds: ['english-2026-04-16'] } }),
    );
    const input = inputFor('b', {
      groups: [pilots('b', '2027-03-31')],
      sessions: withReservations([...englishSessions, ...conversionSessions], first),
    });

    const plan = await scheduleTraining(input);

    expect(sessionsOf(plan)).toEqual(['conversion-2026-09-01:4', 'english-2026-04-16:4']);
    expect(plan.traineesReadyByDeadline).toBe(4);
    expect(plan.sessionsBelowMinimum.map((s) => s.sessionId)).toEqual(['english-2026-04-16']);
  });
});

describe('the session minimum cutoff', () => {
  const firstEnglishOnly = [englishSessions[0], ...conversionSessions];

  it('when the cutoff has passed and a lone pledge of 4 cannot bring the session to 8, then nobody is planned into it and the reason gives the numbers', async () => {
    const input = inputFor('a', { today: '2026-03-27' }, firstEnglishOnly);

    const [mip, greedy] = [await scheduleTraining(input), greedySchedule(input)];

    for (const plan of [mip, greedy]) {
      expect(plan.cohorts).toEqual([]);
      expect(plan.unmet).toEqual([
        {
          reason: 'below_session_minimum_at_cutoff',
          groupId: 'a-f-16-crew',
          systemId: 'f-16',
          courseId: 'aviation-english',
          trainees: 4,
          sessions: [
            {
              sessionId: 'english-2026-04-16',
              start: '2026-04-16',
              reserved: 0,
              minimum: 8,
              cutoff: '2026-03-26',
            },
          ],
        },
      ]);
      expect(checkPlan(plan, input)).toEqual([]);
    }
  });

  it('when only a session past its cutoff would let the chain finish, then the reason names that session, not the later course', async () => {
    const sessions = [englishSessions[0], englishSessions[1], conversionSessions[0]];
    const input = inputFor('a', { today: '2026-04-01' }, sessions);

    const plan = await scheduleTraining(input);

    expect(plan.cohorts).toEqual([]);
    expect(plan.unmet).toEqual([
      {
        reason: 'below_session_minimum_at_cutoff',
        groupId: 'a-f-16-crew',
        systemId: 'f-16',
        courseId: 'aviation-english',
        trainees: 4,
        sessions: [
          {
            sessionId: 'english-2026-04-16',
            start: '2026-04-16',
            reserved: 0,
            minimum: 8,
            cutoff: '2026-03-26',
          },
        ],
      },
    ]);
  });

  it('when the chain cannot finish even through sessions past their cutoff, then the reason stays the later course', async () => {
    const sessions = [englishSessions[1], conversionSessions[0]];

    const plan = await scheduleTraining(inputFor('a', { today: '2026-04-01' }, sessions));

    expect(plan.unmet).toEqual([
      expect.objectContaining({
        reason: 'prerequisite_too_late',
        courseId: 'f16-conversion',
        prerequisiteId: 'aviation-english',
        earliestStart: '2026-11-06',
        lastSessionStart: '2026-09-01',
      }),
    ]);
  });

  it('when the cutoff day itself is today, then the session still takes the pledge, flagged', async () => {
    const plan = await scheduleTraining(inputFor('a', { today: '2026-03-26' }, firstEnglishOnly));

    expect(sessionsOf(plan)).toEqual(['conversion-2026-09-01:4', 'english-2026-04-16:4']);
    expect(plan.sessionsBelowMinimum.map((s) => [s.sessionId, s.cutoff])).toEqual([
      ['english-2026-04-16', '2026-03-26'],
    ]);
  });

  it('when past the cutoff the pledge brings the session to its minimum, then it may join it', async () => {
    const reserved = firstEnglishOnly.map((s) =>
      s.id === 'english-2026-04-16' ? { ...s, seatsTaken: 4 } : s,
    );
    const input = inputFor('a', { today: '2026-04-01' }, reserved);

    const plan = await scheduleTraining(input);

    expect(sessionsOf(plan)).toEqual(['conversion-2026-09-01:4', 'english-2026-04-16:4']);
    expect(plan.sessionsBelowMinimum).toEqual([]);
    expect(checkPlan(plan, input)).toEqual([]);
  });

  it('when past the cutoff a later session is still open, then the pledge goes there instead, flagged', async () => {
    const input = inputFor('a', { today: '2026-04-01' });

    const plan = await scheduleTraining(input);

    expect(plan.cohorts.find((c) => c.courseId === 'aviation-english')?.sessionId).toBe('english-2026-07-16');
    expect(plan.unmet).toEqual([]);
    expect(plan.sessionsBelowMinimum).toEqual([
      expect.objectContaining({
        sessionId: 'english-2026-07-16',
        planned: 4,
        minimum: 8,
        cutoff: '2026-06-25',
      }),
    ]);
  });

  it('when the policy sets a longer cutoff, then the cutoff date moves with it', async () => {
    const plan = await scheduleTraining(inputFor('a', { sessionMinimumCutoffDays: 45 }));

    expect(plan.sessionsBelowMinimum.map((s) => s.cutoff)).toEqual(['2026-03-02']);
  });
});

describe('the sessions a cutoff check moves', () => {
  const courses = new Map([['aviation-english', english]]);
  const at = (start: string, id: string) => ({ id, courseId: 'aviation-english', start });
  const rule = { cutoffDays: 21, today: '2026-04-01' };

  it('takes the sessions past their cutoff and not started, with some but too few reservations, fewest first', () => {
    const sessions = [
      at('2026-04-16', 'four'), // cutoff 2026-03-26: past, 4 of 8
      at('2026-04-17', 'two'), // past, 2 of 8: moved first, so that it may top up another
      at('2026-04-18', 'full'), // past, but at its minimum
      at('2026-04-19', 'empty'), // past, nobody to move
      at('2026-05-01', 'early'), // cutoff 2026-04-10: not yet
      at('2026-03-30', 'running'), // already started
    ];
    const reserved = new Map([
      ['four', 4],
      ['two', 2],
      ['full', 8],
      ['early', 1],
      ['running', 3],
    ]);
    expect(sessionsShortAtCutoff(sessions, reserved, courses, rule)).toEqual([
      {
        sessionId: 'two',
        courseId: 'aviation-english',
        start: '2026-04-17',
        cutoff: '2026-03-27',
        reserved: 2,
        minimum: 8,
      },
      {
        sessionId: 'four',
        courseId: 'aviation-english',
        start: '2026-04-16',
        cutoff: '2026-03-26',
        reserved: 4,
        minimum: 8,
      },
    ]);
  });
});
