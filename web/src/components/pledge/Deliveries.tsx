import { useState, type FormEvent, type ReactNode } from 'react';
import { Milestones, type Milestone } from '@domain/delivery-lots';
import { can } from '@domain/permissions';
import { LotChangeInput, MilestoneInput } from '@domain/schemas/delivery';
import { ApiError, engine, messageOf, ok, type ErrorDetail } from '../../api/client';
import { systemName } from '../../api/reference';
import type { DeliveryLot, LotActionResult, Pledge, ReadinessProgress, System } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useAuth } from '../../auth/auth';
import { formatDate, plural } from '../../lib/format';
import { APPROVED_STATUSES, lotStateLabel } from '../../lib/labels';
import { serverFieldErrors, zodFieldErrors, type FieldErrors } from '../../lib/validation';
import { controlProps, ErrorBox, Field, Section, When } from '../common';

/** The engine's calendar day (UTC): milestones are dated by it, and none may be ahead of it. */
const todayUtc = () => new Date().toISOString().slice(0, 10);

/** The milestone a lot waits for, or null once it is received. */
const nextMilestone = (state: DeliveryLot['state']): Milestone | null =>
  state === 'received' ? null : Milestones[Milestones.indexOf(state as Milestone) + 1];

/** "shipped", "at the hub": a lot's state inside a sentence. */
const milestoneWord = (m: DeliveryLot['state']) => lotStateLabel[m].toLowerCase();

/**
 * The API's field errors keyed like the form's fields. Checks made after the schema name their field with a
 * `body.` prefix, the schema's own errors without: both land on the same field.
 */
const fieldErrorsOf = (details: ErrorDetail[]) =>
  serverFieldErrors(details.map((d) => ({ ...d, path: d.path.replace(/^body\./, '') })));

/** The result of the last action on a lot, shown under it (it outlives the form, which starts afresh). */
interface Notice {
  lotId: string;
  tone: 'success' | 'error';
  content: ReactNode;
}

/**
 * The equipment half of READY beside the crews half, and each lot of an approved pledge with its milestones,
 * delays and plan changes. The delivery cell records each lot's next milestone here; staff re-date or split a lot.
 * Nothing shows before the pledge has lots (it is approved) or to a reader without `delivery:read`.
 */
export function Deliveries({
  pledge,
  systems,
  revision,
  onChanged,
}: {
  pledge: Pledge;
  systems: System[] | undefined;
  /** Changes whenever the pledge does, so the lots refresh with the rest of the page. */
  revision: string;
  onChanged: () => void;
}) {
  const { user } = useAuth();
  const readable =
    !!user &&
    can(user, 'delivery:read') &&
    (pledge.approvedAt !== null || (APPROVED_STATUSES as readonly string[]).includes(pledge.status));
  const deliveries = useApi(
    readable
      ? (signal) =>
          ok(engine.GET('/api/v1/pledges/{id}/deliveries', { params: { path: { id: pledge.id } }, signal }))
      : null,
    [pledge.id, revision, readable],
  );
  const [notice, setNotice] = useState<Notice>();
  if (!readable || !user) return null;
  if (deliveries.error && !deliveries.data)
    return (
      <Section id="deliveries" title="Deliveries">
        <ErrorBox error={deliveries.error} />
      </Section>
    );
  if (!deliveries.data?.items.length) return null;
  const { items, progress } = deliveries.data;
  // A withdrawn pledge's lots are history; a READY one's are all in.
  const active = pledge.status === 'APPROVED' || pledge.status === 'IN_TRAINING';
  const recorder = active && can(user, 'delivery:record');
  const planner = active && can(user, 'delivery:plan');

  const refresh = () => {
    deliveries.reload();
    onChanged();
  };
  const done = (lotId: string, content: ReactNode) => {
    setNotice({ lotId, tone: 'success', content });
    refresh();
  };
  const failed = (lotId: string, err: unknown, what: string) => {
    setNotice({ lotId, tone: 'error', content: refusal(err, what) });
    // A lot gone or in another state means the page is behind the engine: show where it stands now.
    if (err instanceof ApiError && (err.status === 404 || err.status === 409)) refresh();
  };

  return (
    <>
      <Readiness progress={progress} />
      <Section id="deliveries" title="Deliveries">
        <p className="muted small">
          Each lot goes through its milestones in order: prepared, shipped, at the hub, handed over, received.
        </p>
        <ol className="plain-list lots" data-testid="delivery-lots">
          {items.map((lot) => (
            <LotEntry
              key={lot.id}
              lot={lot}
              systems={systems}
              recorder={recorder}
              planner={planner}
              notice={notice?.lotId === lot.id ? notice : undefined}
              onRecorded={(result, at) => done(lot.id, <Recorded lot={lot} result={result} at={at} />)}
              onChanged={(result) => done(lot.id, <Changed lot={lot} result={result} />)}
              onFailed={(err, what) => failed(lot.id, err, what)}
              onNotice={() => setNotice(undefined)}
            />
          ))}
        </ol>
      </Section>
    </>
  );
}

/** Both halves of READY: the equipment received and the crews trained. */
function Readiness({ progress: p }: { progress: ReadinessProgress }) {
  const equipment = `${p.lotsReceived} of ${plural(p.lots, 'lot')} (${p.quantityReceived} of ${plural(p.quantity, 'item')})`;
  const crews = p.cohorts ? `${p.cohortsCompleted} of ${plural(p.cohorts, 'cohort')}` : 'no cohort to train';
  return (
    <Section id="readiness" title="Readiness">
      <p className="muted small">Ready when every lot is received and every cohort has trained.</p>
      <dl className="coverage" data-testid="readiness">
        <div className="coverage-row" data-testid="readiness-equipment">
          <dt>Equipment received</dt>
          <dd>
            <progress
              max={Math.max(p.quantity, 1)}
              value={p.quantityReceived}
              aria-label={`Equipment received: ${equipment}`}
            />
            <span className="coverage-figure">{equipment}</span>
          </dd>
        </div>
        <div className="coverage-row" data-testid="readiness-crews">
          <dt>Crews trained</dt>
          <dd>
            <progress
              max={Math.max(p.cohorts, 1)}
              value={p.cohortsCompleted}
              aria-label={`Crews trained: ${crews}`}
            />
            <span className="coverage-figure">{crews}</span>
          </dd>
        </div>
      </dl>
      {p.lotsLate > 0 && (
        <p className="text-bad" data-testid="readiness-late">
          {plural(p.lotsLate, 'lot')} late.
        </p>
      )}
    </Section>
  );
}

/** One lot: what it is, its milestones, delays and plan changes, and what the reader may do with it. */
function LotEntry({
  lot,
  systems,
  recorder,
  planner,
  notice,
  onRecorded,
  onChanged,
  onFailed,
  onNotice,
}: {
  lot: DeliveryLot;
  systems: System[] | undefined;
  recorder: boolean;
  planner: boolean;
  notice: Notice | undefined;
  onRecorded: (result: LotActionResult, at: string) => void;
  onChanged: (result: LotActionResult) => void;
  onFailed: (err: unknown, what: string) => void;
  onNotice: () => void;
}) {
  const next = nextMilestone(lot.state);
  return (
    <li className="lot" data-testid="delivery-lot" data-lot-id={lot.id} data-state={lot.state}>
      <h3>
        {lot.quantity} × {systemName(systems, lot.systemId)}{' '}
        <span className="muted small mono">{lot.id}</span>
      </h3>
      <p className="small">
        <span
          className={`badge tone-${lot.state === 'received' ? 'good' : lot.state === 'planned' ? 'neutral' : 'progress'}`}
          data-testid="lot-state"
        >
          {lotStateLabel[lot.state]}
        </span>{' '}
        planned to be received {formatDate(lot.plannedOn)} · pledged window {formatDate(lot.window.from)} –{' '}
        {formatDate(lot.window.to)}
      </p>
      <MilestoneTable lot={lot} />
      <Delays lot={lot} />
      <PlanChanges lot={lot} />
      {recorder && next && (
        // A new state starts a fresh form for the milestone that follows it.
        <MilestoneForm
          key={`${lot.id}:${lot.state}`}
          lot={lot}
          next={next}
          onRecorded={onRecorded}
          onFailed={(err) => onFailed(err, 'Not recorded')}
          onStart={onNotice}
        />
      )}
      {planner && lot.state !== 'received' && (
        <PlanChange
          key={`${lot.id}:${lot.plannedOn}:${lot.quantity}`}
          lot={lot}
          onChanged={onChanged}
          onFailed={(err) => onFailed(err, 'Not changed')}
          onStart={onNotice}
        />
      )}
      {notice && (
        <div
          className={`alert ${notice.tone === 'success' ? 'alert-success' : 'alert-error'}`}
          role={notice.tone === 'success' ? 'status' : 'alert'}
          data-testid="lot-notice"
          data-tone={notice.tone}
        >
          {notice.content}
        </div>
      )}
    </li>
  );
}

/** Every milestone of the lot in order: those reached with their day, place, note and who recorded them. */
function MilestoneTable({ lot }: { lot: DeliveryLot }) {
  const next = nextMilestone(lot.state);
  return (
    <div className="table-wrap" role="region" aria-label={`Milestones of lot ${lot.id}`} tabIndex={0}>
      <table className="table lot-milestones" data-testid="lot-milestones">
        <thead>
          <tr>
            <th scope="col">Milestone</th>
            <th scope="col">Day</th>
            <th scope="col">Place</th>
            <th scope="col">Note</th>
            <th scope="col">By</th>
          </tr>
        </thead>
        <tbody>
          {Milestones.map((m) => {
            const reached = lot.milestones.find((r) => r.state === m);
            return (
              <tr key={m} data-testid="lot-milestone" data-milestone={m} data-reached={!!reached}>
                <th scope="row">{lotStateLabel[m]}</th>
                {reached ? (
                  <>
                    <td className="day">{formatDate(reached.at)}</td>
                    <td className="text">{reached.location ?? '—'}</td>
                    <td className="text">{reached.note ?? '—'}</td>
                    <td className="day">{reached.by}</td>
                  </>
                ) : (
                  <td colSpan={4} className="muted">
                    {m === next ? 'next' : 'not yet'}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Why the lot is late, if it is: a planned day missed (and escalated), or a handover after the window. */
function Delays({ lot }: { lot: DeliveryLot }) {
  if (!lot.delays.length) return null;
  return (
    <ul className="plain-list" data-testid="lot-delays">
      {lot.delays.map((d) => (
        <li key={d.id} data-testid="lot-delay" data-kind={d.kind} data-escalated={!!d.escalatedAt}>
          <span className="badge tone-bad">
            {d.kind === 'handed_over_late' ? 'Handed over late' : 'Late'}
          </span>{' '}
          {d.kind === 'handed_over_late'
            ? `handed over after its window ended on ${formatDate(d.dueOn)}`
            : `not received by ${formatDate(d.dueOn)}${d.awaiting ? `, while waiting to be ${milestoneWord(d.awaiting)}` : ''}`}
          <span className="muted small">
            {' · raised '}
            <When iso={d.raisedAt} />
            {d.escalatedAt && (
              <>
                {' · '}
                <strong>escalated</strong> <When iso={d.escalatedAt} />
              </>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** "was 2027-12-31" → "was 31 Dec 2027": the change's detail with its days for people. */
const detailText = (detail: string) => detail.replace(/\d{4}-\d{2}-\d{2}/g, (d) => formatDate(d));

/** Staff's changes to the lot's plan, each with its reason. */
function PlanChanges({ lot }: { lot: DeliveryLot }) {
  if (!lot.changes.length) return null;
  return (
    <ul className="plain-list" data-testid="lot-changes">
      {lot.changes.map((c, i) => (
        <li key={`${c.at}-${i}`} data-testid="lot-change" data-kind={c.kind}>
          <strong>{c.kind === 'split' ? 'Split' : 'Re-dated'}</strong> ({detailText(c.detail)}) by {c.by},{' '}
          <When iso={c.at} />: <span className="wrap">{c.reason}</span>
        </li>
      ))}
    </ul>
  );
}

/** The delivery cell's report of the lot's next milestone: its day (today unless said), place and a note. */
function MilestoneForm({
  lot,
  next,
  onRecorded,
  onFailed,
  onStart,
}: {
  lot: DeliveryLot;
  next: Milestone;
  onRecorded: (result: LotActionResult, at: string) => void;
  onFailed: (err: unknown) => void;
  onStart: () => void;
}) {
  const today = todayUtc();
  const [at, setAt] = useState(today);
  const [location, setLocation] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const id = (field: string) => `field-${lot.id}-${field}`;
  const error = (field: string) => errors[field];
  const label = lotStateLabel[next];
  const stateHint = 'the lot’s next one: milestones come in order';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    onStart();
    const body = {
      state: next,
      at,
      ...(location.trim() ? { location: location.trim() } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    const checked = MilestoneInput.safeParse(body);
    const found: FieldErrors = checked.success ? {} : zodFieldErrors(checked.error, body);
    // The picker shows a day, not a format; and a milestone is reported once it happened.
    if (!at) found.at = 'choose a day';
    else if (at > today) found.at = `must not be in the future (today is ${formatDate(today)})`;
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const result = await ok(
        engine.POST('/api/v1/deliveries/{lotId}/milestones', { params: { path: { lotId: lot.id } }, body }),
      );
      onRecorded(result, at);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.details.length)
        setErrors(fieldErrorsOf(err.details));
      else onFailed(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="lot-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      data-testid="milestone-form"
      aria-label={`Record the next milestone of lot ${lot.id}`}
    >
      <fieldset>
        <legend>Record the next milestone</legend>
        {error('state') && (
          <p className="field-error" role="alert">
            {error('state')}
          </p>
        )}
        <div className="form-grid">
          <Field id={id('state')} label="Milestone" hint={stateHint}>
            <input
              {...controlProps(id('state'), undefined, stateHint)}
              value={label}
              readOnly
              data-testid="milestone-state"
            />
          </Field>
          <Field id={id('at')} label="Day" error={error('at')}>
            <input
              {...controlProps(id('at'), error('at'))}
              type="date"
              max={today}
              value={at}
              onChange={(e) => setAt(e.target.value)}
            />
          </Field>
          <Field id={id('location')} label="Place (optional)" error={error('location')}>
            <input
              {...controlProps(id('location'), error('location'))}
              value={location}
              placeholder="e.g. Rzeszów hub"
              onChange={(e) => setLocation(e.target.value)}
            />
          </Field>
        </div>
        <Field id={id('note')} label="Note (optional)" error={error('note')}>
          <textarea
            {...controlProps(id('note'), error('note'))}
            rows={2}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </Field>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="record-milestone">
          {busy ? 'Recording…' : `Record ${milestoneWord(next)}`}
        </button>
      </fieldset>
    </form>
  );
}

type ChangeKind = 'redate' | 'split';

/**
 * Staff re-plan a lot: a new planned day, or part of it split off into a lot of its own with its own day; each
 * with a reason, checked, then confirmed on a second step that says what will change.
 */
function PlanChange({
  lot,
  onChanged,
  onFailed,
  onStart,
}: {
  lot: DeliveryLot;
  onChanged: (result: LotActionResult) => void;
  onFailed: (err: unknown) => void;
  onStart: () => void;
}) {
  const [kind, setKind] = useState<ChangeKind>();
  const [plannedOn, setPlannedOn] = useState('');
  const [quantity, setQuantity] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [confirming, setConfirming] = useState<LotChangeInput>();
  const [busy, setBusy] = useState(false);
  // Only a lot not yet shipped can be split, and only when there is more than one item to share.
  const splittable = (lot.state === 'planned' || lot.state === 'prepared') && lot.quantity > 1;
  const id = (field: string) => `field-${lot.id}-${field}`;
  const dayField = kind === 'split' ? 'split.plannedOn' : 'plannedOn';
  const error = (field: string) => errors[field];

  const open = (k: ChangeKind) => {
    onStart();
    setKind(k);
    setErrors({});
    setConfirming(undefined);
  };
  const close = () => {
    setKind(undefined);
    setConfirming(undefined);
    setErrors({});
  };

  const review = (e: FormEvent) => {
    e.preventDefault();
    const body =
      kind === 'split'
        ? { reason, split: { quantity: quantity.trim() === '' ? undefined : Number(quantity), plannedOn } }
        : { reason, plannedOn };
    const checked = LotChangeInput.safeParse(body);
    const found: FieldErrors = checked.success ? {} : zodFieldErrors(checked.error, body);
    const today = todayUtc();
    if (!plannedOn) found[dayField] = 'choose a day';
    else if (plannedOn < today) found[dayField] = `must not be in the past (today is ${formatDate(today)})`;
    if (kind === 'split' && !found['split.quantity'] && Number(quantity) >= lot.quantity)
      found['split.quantity'] =
        `a split moves part of the lot: at most ${lot.quantity - 1} of its ${lot.quantity}`;
    setErrors(found);
    if (Object.keys(found).length || !checked.success) return;
    setConfirming(checked.data);
  };

  const confirm = async () => {
    if (!confirming) return;
    setBusy(true);
    try {
      const result = await ok(
        engine.PATCH('/api/v1/deliveries/{lotId}', { params: { path: { lotId: lot.id } }, body: confirming }),
      );
      close();
      onChanged(result);
    } catch (err) {
      setConfirming(undefined);
      if (err instanceof ApiError && err.status === 400 && err.details.length)
        setErrors(fieldErrorsOf(err.details));
      else onFailed(err);
    } finally {
      setBusy(false);
    }
  };

  if (!kind)
    return (
      <div className="task-actions lot-actions">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => open('redate')}
          data-testid="redate-lot"
          aria-label={`Re-date lot ${lot.id}…`}
        >
          Re-date…
        </button>
        {splittable && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => open('split')}
            data-testid="split-lot"
            aria-label={`Split lot ${lot.id}…`}
          >
            Split…
          </button>
        )}
      </div>
    );

  if (confirming)
    return (
      <div className="alert alert-warning" data-testid="confirm-plan-change">
        <p>
          {confirming.split
            ? `Move ${confirming.split.quantity} of the ${lot.quantity} items of lot ${lot.id} into a new lot planned to be received ${formatDate(confirming.split.plannedOn)}? The other ${lot.quantity - confirming.split.quantity} stay planned for ${formatDate(lot.plannedOn)}.`
            : `Plan lot ${lot.id} to be received ${formatDate(confirming.plannedOn)} instead of ${formatDate(lot.plannedOn)}?`}
        </p>
        <p className="small wrap">Reason: {confirming.reason}</p>
        <div className="inline-form">
          <button
            type="button"
            className="btn btn-small btn-primary"
            disabled={busy}
            onClick={() => void confirm()}
            data-testid="confirm-plan-change-button"
          >
            {busy ? 'Saving…' : confirming.split ? 'Confirm the split' : 'Confirm the new day'}
          </button>
          <button
            type="button"
            className="btn btn-small btn-ghost"
            disabled={busy}
            onClick={() => setConfirming(undefined)}
          >
            Back
          </button>
        </div>
      </div>
    );

  return (
    <form
      className="lot-form"
      onSubmit={review}
      noValidate
      data-testid="plan-change-form"
      data-kind={kind}
      aria-label={`${kind === 'split' ? 'Split' : 'Re-date'} lot ${lot.id}`}
    >
      <fieldset>
        <legend>
          {kind === 'split' ? 'Split part of the lot into a new lot' : 'Plan the lot for another day'}
        </legend>
        <div className="form-grid">
          {kind === 'split' && (
            <Field id={id('split.quantity')} label="Items to move" error={error('split.quantity')}>
              <input
                {...controlProps(id('split.quantity'), error('split.quantity'))}
                type="number"
                inputMode="numeric"
                min={1}
                max={lot.quantity - 1}
                value={quantity}
                onChange={(e) => setQuantity(e.target.value)}
              />
            </Field>
          )}
          <Field
            id={id(dayField)}
            label={kind === 'split' ? 'The new lot is planned for' : 'Now planned for'}
            error={error(dayField)}
          >
            <input
              {...controlProps(id(dayField), error(dayField))}
              type="date"
              min={todayUtc()}
              value={plannedOn}
              onChange={(e) => setPlannedOn(e.target.value)}
            />
          </Field>
        </div>
        <Field id={id('reason')} label="Why the plan changes" error={error('reason')}>
          <textarea
            {...controlProps(id('reason'), error('reason'))}
            rows={2}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </Field>
        <div className="inline-form">
          <button type="submit" className="btn btn-small btn-primary" data-testid="review-plan-change">
            {kind === 'split' ? 'Review the split' : 'Review the new day'}
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={close}>
            Cancel
          </button>
        </div>
      </fieldset>
    </form>
  );
}

/** What a recorded milestone did: the lot's new state, and READY when it completed the pledge. */
function Recorded({ lot, result, at }: { lot: DeliveryLot; result: LotActionResult; at: string }) {
  const recorded = result.lots.find((l) => l.id === lot.id);
  const state = recorded?.state ?? lot.state;
  return (
    <p>
      Recorded: lot {lot.id} {milestoneWord(state)} on {formatDate(at)}.
      {result.pledge.status === 'READY' &&
        ' Every lot is received and every crew trained: the pledge is ready.'}
    </p>
  );
}

/** What a re-plan did: the lot's new day, or the new lot split from it. */
function Changed({ lot, result }: { lot: DeliveryLot; result: LotActionResult }) {
  const added = result.lots.find((l) => l.id !== lot.id);
  const kept = result.lots.find((l) => l.id === lot.id);
  return (
    <p>
      {added
        ? `Split: ${added.quantity} of its items are now lot ${added.id}, planned for ${formatDate(added.plannedOn)}.`
        : `Re-dated: lot ${lot.id} is now planned for ${formatDate(kept?.plannedOn ?? lot.plannedOn)}.`}
    </p>
  );
}

/** The engine's refusal in plain words ("Not recorded: …"), with what the page does about it. */
function refusal(err: unknown, what: string): string {
  if (err instanceof ApiError) {
    if (err.status === 403) return `${what}: your role may not do this.`;
    if (err.status === 404) return `${what}: this lot is no longer in the plan. The page now shows the lots.`;
    if (err.status === 409) return `${what}: ${err.message}. The page now shows where the lot stands.`;
  }
  return `${what}: ${messageOf(err)}.`;
}
