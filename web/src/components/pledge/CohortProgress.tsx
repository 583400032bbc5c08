import { useState, type ReactNode } from 'react';
import { can } from '@domain/permissions';
import { CohortEventInput } from '@domain/schemas/cohort-event';
import {
  refuseCompletionCounts,
  type CompletionCounts,
  type CountsRefusal,
} from '@domain/training/execution';
import { ApiError, engine, messageOf, ok, type Schemas } from '../../api/client';
import { useCourses, useSites } from '../../api/reference';
import type { Cohort, Pledge, System } from '../../api/types';
import { useAuth } from '../../auth/auth';
import { formatDate, plural } from '../../lib/format';
import { Field, Section, controlProps } from '../common';
import { cohortRows, outcomeText, type CohortRow } from './TrainingGantt';

type CohortEventType = Schemas['CohortEventInput']['type'];
type CohortEventResult = Schemas['CohortEventResult'];

/** What a cohort's state means to whoever reports on it. */
const stateText: Record<Cohort['state'], string> = {
  planned: 'Planned: seats not reserved yet',
  reserved: 'Seats reserved: not started',
  started: 'Started',
  completed: 'Completed',
  failed: 'Failed',
  released: 'Released: its trainees were planned elsewhere',
};

/** A message per count field, from the form's own check or the engine's refusal. */
type CountErrors = Partial<Record<CountsRefusal['field'], string>>;

/** The result of the last report, shown under the cohort it was about (a refused count also at its field). */
interface Notice {
  cohortId: string;
  tone: 'success' | 'error';
  content: ReactNode;
  fields?: CountErrors;
}

/**
 * True when the user may report cohort events and the pledge takes them: while it is in training and some cohort
 * is still to start or finish (once every crew is trained it may wait for its equipment, still in training).
 */
function mayRecordCohorts(user: { roles: Schemas['Role'][] } | null, pledge: Pledge): boolean {
  return (
    !!user &&
    can(user, 'training:record') &&
    pledge.status === 'IN_TRAINING' &&
    !!pledge.trainingPlan?.cohorts.some((c) => c.state === 'reserved' || c.state === 'started')
  );
}

/**
 * Cohort progress as the sites report it: each cohort's next step (start a reserved cohort; complete or fail a
 * started one) with the day it happened, defaulting to the planned day. The pledge is READY when every cohort
 * still counting has completed; a failed cohort's trainees are planned again and the new cohorts are listed.
 */
export function CohortProgress({
  pledge,
  systems,
  onRecorded,
}: {
  pledge: Pledge;
  systems: System[] | undefined;
  onRecorded: () => void;
}) {
  const { user } = useAuth();
  const courses = useCourses();
  const sites = useSites();
  const [busy, setBusy] = useState<string>();
  const [notice, setNotice] = useState<Notice>();
  if (!mayRecordCohorts(user, pledge) || !pledge.trainingPlan?.cohorts.length) return null;
  const rows = cohortRows(pledge.trainingPlan.cohorts, systems, courses, sites);

  const report = async (row: CohortRow, type: CohortEventType, at: string, counts: CompletionCounts) => {
    const cohortId = row.cohort.id;
    setBusy(cohortId);
    setNotice(undefined);
    try {
      const result = await ok(
        engine.POST('/api/v1/training/cohorts/{id}/events', {
          params: { path: { id: cohortId } },
          // An empty day means today: the engine stamps the report with its own clock.
          body: at ? { type, at, ...counts } : { type, ...counts },
        }),
      );
      setNotice({
        cohortId,
        tone: 'success',
        content: <Recorded row={row} result={result} systems={systems} courses={courses} sites={sites} />,
      });
      onRecorded();
    } catch (err) {
      setNotice({ cohortId, tone: 'error', content: refusal(err, cohortId), fields: countErrorsOf(err) });
      // A cohort gone or in another state means the page is behind the engine: show where it stands now.
      if (err instanceof ApiError && (err.status === 404 || err.status === 409)) onRecorded();
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Section id="cohort-progress" title="Record cohort progress">
      <p className="muted small">
        Report each cohort as its site does: started, then completed (with how many passed) or failed. The
        crews are ready when every cohort has completed; trainees who failed are planned again.
      </p>
      <ol className="plain-list cohort-progress-list">
        {rows.map((row) => (
          <CohortReport
            // A new state starts a fresh form, with the day that fits the next step.
            key={`${row.cohort.id}:${row.cohort.state}`}
            row={row}
            busy={busy !== undefined}
            notice={notice?.cohortId === row.cohort.id ? notice : undefined}
            onReport={(type, at, counts = {}) => void report(row, type, at, counts)}
          />
        ))}
      </ol>
    </Section>
  );
}

/** One cohort: what it is, where it stands, and the reports it can take next. */
function CohortReport({
  row,
  busy,
  notice,
  onReport,
}: {
  row: CohortRow;
  busy: boolean;
  notice: Notice | undefined;
  onReport: (type: CohortEventType, at: string, counts?: CompletionCounts) => void;
}) {
  const { cohort } = row;
  const next = cohort.state === 'reserved' ? 'start' : cohort.state === 'started' ? 'end' : null;
  const [at, setAt] = useState((next === 'start' ? cohort.start : cohort.end).slice(0, 10));
  const [confirmingFailure, setConfirmingFailure] = useState(false);
  // Every trainee passed unless the trainer says otherwise.
  const [passed, setPassed] = useState(String(cohort.trainees));
  const [failed, setFailed] = useState('0');
  const [countErrors, setCountErrors] = useState<CountErrors>();
  const dayId = `cohort-day-${cohort.id}`;
  const errors = countErrors ?? notice?.fields ?? {};

  /** Sends the completion with its counts once they account for every trainee; otherwise says why at the field. */
  const complete = () => {
    const counts = { passed: whole(passed), failed: whole(failed) };
    const checked = CohortEventInput.safeParse({ type: 'completed', ...counts });
    const wrong = checked.success
      ? refuseCompletionCounts(cohort.trainees, counts)
      : { field: String(checked.error.issues[0].path[0]), message: checked.error.issues[0].message };
    setCountErrors(wrong ? { [wrong.field]: wrong.message } : undefined);
    if (!wrong) onReport('completed', at, counts);
  };
  /** Failed trainees are taken from those who passed, so the two keep adding up as the trainer types. */
  const changeFailed = (value: string) => {
    setFailed(value);
    const n = whole(value);
    if (Number.isInteger(n) && n >= 0 && n <= cohort.trainees) setPassed(String(cohort.trainees - n));
  };

  return (
    <li data-testid="cohort-progress-row" data-cohort-id={cohort.id} data-state={cohort.state}>
      <strong>{row.label}</strong>
      <div className="muted small">
        {formatDate(cohort.start)} – {formatDate(cohort.end)} at {row.site} ·{' '}
        <span data-testid="cohort-state">{stateDetail(cohort)}</span>
      </div>
      {next === 'end' && !confirmingFailure && (
        <fieldset className="inline-form cohort-counts" data-testid="completion-counts">
          <legend className="small">On completion, of its {plural(cohort.trainees, 'trainee')}:</legend>
          {(['passed', 'failed'] as const).map((field) => (
            <Field
              key={field}
              id={`cohort-${field}-${cohort.id}`}
              label={field === 'passed' ? 'Passed' : 'Failed'}
              error={errors[field]}
              className="narrow"
            >
              <input
                type="number"
                min={0}
                max={cohort.trainees}
                step={1}
                value={field === 'passed' ? passed : failed}
                onChange={(e) => (field === 'passed' ? setPassed : changeFailed)(e.target.value)}
                {...controlProps(`cohort-${field}-${cohort.id}`, errors[field])}
              />
            </Field>
          ))}
        </fieldset>
      )}
      {next && (
        <div className="inline-form cohort-actions">
          <label htmlFor={dayId}>{next === 'start' ? 'Started on' : 'Ended on'}</label>
          <input
            id={dayId}
            type="date"
            value={at}
            onChange={(e) => setAt(e.target.value)}
            aria-describedby={`${dayId}-hint`}
          />
          <small className="muted" id={`${dayId}-hint`}>
            planned {formatDate(next === 'start' ? cohort.start : cohort.end)}; empty means today
          </small>
          {next === 'start' && (
            <button
              type="button"
              className="btn btn-small btn-primary"
              disabled={busy}
              onClick={() => onReport('started', at)}
              aria-label={`Record start: ${row.label}`}
              data-testid="record-start"
            >
              Record start
            </button>
          )}
          {next === 'end' && !confirmingFailure && (
            <>
              <button
                type="button"
                className="btn btn-small btn-primary"
                disabled={busy}
                onClick={complete}
                aria-label={`Record completion: ${row.label}`}
                data-testid="record-completion"
              >
                Record completion
              </button>
              <button
                type="button"
                className="btn btn-small btn-danger"
                disabled={busy}
                onClick={() => setConfirmingFailure(true)}
                aria-label={`Record failure: ${row.label}`}
                data-testid="record-failure"
              >
                Record failure
              </button>
            </>
          )}
        </div>
      )}
      {confirmingFailure && (
        // A failure releases seats and replans trainees: it is confirmed, with what follows said first.
        <div className="alert alert-warning" data-testid="confirm-failure">
          <p>
            Record that this cohort failed? Its seats are released, and{' '}
            {cohort.trainees === 1 ? 'its trainee is' : `its ${cohort.trainees} trainees are`} planned again
            into later sessions, with the courses that follow it.
          </p>
          <div className="inline-form">
            <button
              type="button"
              className="btn btn-small btn-danger"
              disabled={busy}
              onClick={() => {
                setConfirmingFailure(false);
                onReport('failed', at);
              }}
              data-testid="confirm-failure-button"
            >
              Confirm the failure
            </button>
            <button
              type="button"
              className="btn btn-small btn-ghost"
              onClick={() => setConfirmingFailure(false)}
            >
              Cancel
            </button>
          </div>
        </div>
      )}
      {notice && (
        <div
          className={`alert ${notice.tone === 'success' ? 'alert-success' : 'alert-error'}`}
          role={notice.tone === 'success' ? 'status' : 'alert'}
          data-testid="cohort-notice"
          data-tone={notice.tone}
        >
          {notice.content}
        </div>
      )}
    </li>
  );
}

/** A count as typed: a number, or NaN when the field is empty (the check then names it). */
const whole = (value: string) => (value.trim() === '' ? Number.NaN : Number(value));

/** The engine's refusal of a count, by field, to show at the field (a 400 or a 422 names it in its details). */
function countErrorsOf(err: unknown): CountErrors | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const fields = err.details.filter((d) => d.path === 'passed' || d.path === 'failed');
  return fields.length ? Object.fromEntries(fields.map((d) => [d.path, d.message])) : undefined;
}

/** "Started on 3 Mar 2027", "Completed on 3 Mar 2027: 5 passed, 1 failed": the state with the day it was reported. */
function stateDetail(cohort: Cohort): string {
  const day =
    cohort.state === 'started'
      ? cohort.startedAt
      : cohort.state === 'completed'
        ? cohort.completedAt
        : cohort.state === 'failed'
          ? cohort.failedAt
          : null;
  const outcome = outcomeText(cohort);
  const said = day ? `${stateText[cohort.state]} on ${formatDate(day)}` : stateText[cohort.state];
  return outcome ? `${said}: ${outcome}` : said;
}

/**
 * The engine's refusal in plain words: its message names the cohort's state (409) or what is wrong, with the
 * cohort's internal id said as "this cohort".
 */
function refusal(err: unknown, cohortId: string): string {
  if (err instanceof ApiError) {
    const message = err.message.replaceAll(`cohort ${cohortId}`, 'this cohort');
    if (err.status === 403) return 'Not recorded: you may not report cohort progress.';
    if (err.status === 404)
      return 'Not recorded: this cohort is no longer in the plan. The page now shows it.';
    if (err.status === 409) return `Not recorded: ${message}. The page now shows where it stands.`;
    if (err.status === 422) return `Not recorded: ${message}.`;
    if (err.status === 400 && err.details.length)
      return `Not recorded: ${err.details.map((d) => d.message).join('; ')}.`;
  }
  return `Not recorded: ${messageOf(err)}.`;
}

/**
 * What the engine did with a report: the cohort's new state, READY, or the cohorts that take its trainees again
 * (all of a failed cohort's, or those who failed a completed one).
 */
function Recorded({
  row,
  result,
  systems,
  courses,
  sites,
}: {
  row: CohortRow;
  result: CohortEventResult;
  systems: System[] | undefined;
  courses: ReturnType<typeof useCourses>;
  sites: ReturnType<typeof useSites>;
}) {
  const { cohort } = result;
  const said = `Recorded: ${row.label}, ${stateDetail(cohort).replace(/^./, (c) => c.toLowerCase())}.`;
  const retaking = cohort.state === 'failed' ? 'Its trainees' : cohort.failed ? 'Those who failed' : null;
  if (retaking) {
    const replacements = cohortRows(result.replacements, systems, courses, sites);
    return (
      <>
        <p>{said}</p>
        {replacements.length ? (
          <>
            <p>{retaking} are planned again in:</p>
            <ul data-testid="replacement-cohorts">
              {replacements.map((r) => (
                <li key={r.cohort.id}>
                  {r.label}, {formatDate(r.cohort.start)} – {formatDate(r.cohort.end)} at {r.site}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>
            No later session could take {retaking.toLowerCase()}: the plan lists them among what it cannot
            meet.
          </p>
        )}
      </>
    );
  }
  return (
    <p>
      {said}
      {result.pledge.status === 'READY' && ' Every cohort has completed: the pledge is ready.'}
    </p>
  );
}
