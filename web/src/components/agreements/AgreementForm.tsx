import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { canonicalize } from 'json-canonicalize';
import { donorScope } from '@domain/permissions';
import { AgreementInput, AgreementPatch, AgreementStatuses } from '@domain/schemas/agreement';
import { ApiError, engine, messageOf, ok } from '../../api/client';
import type { Agreement } from '../../api/types';
import { useAuth } from '../../auth/auth';
import { formatEur, humanize, newIdempotencyKey } from '../../lib/format';
import { numberOrUndefined, serverFieldErrors, zodFieldErrors, type FieldErrors } from '../../lib/validation';
import { controlProps, Field } from '../common';

type Commitment = Agreement['commitments'][number];

/** One year's commitment as typed. Its split by kind of equipment is carried over untouched: not edited here. */
interface YearDraft {
  /** A stable React key: rows are removed from the middle, so the index will not do. */
  key: string;
  year: string;
  valueEur: string;
  byCategory?: Commitment['byCategory'];
}

interface Draft {
  donor: string;
  title: string;
  signedOn: string;
  termYears: string;
  status: string;
  sourceUrl: string;
  commitments: YearDraft[];
}

const yearDraftOf = (c: Commitment): YearDraft => ({
  key: crypto.randomUUID(),
  year: String(c.year),
  valueEur: c.valueEur === null ? '' : String(c.valueEur),
  ...(c.byCategory ? { byCategory: c.byCategory } : {}),
});

const draftOf = (a: Agreement | undefined, donor: string): Draft => ({
  donor: a?.donor ?? donor,
  title: a?.title ?? '',
  signedOn: a?.signedOn ?? '',
  termYears: a ? String(a.termYears) : '',
  status: a?.status ?? 'in_force',
  sourceUrl: a?.sourceUrl ?? '',
  commitments: (a?.commitments ?? []).map(yearDraftOf),
});

/** "" → null: an empty figure is one that is not public, and is never sent as 0. Spaces between thousands go. */
const eurOrNull = (s: string): number | null => (s.trim() === '' ? null : Number(s.replace(/\s/g, '')));

/** The body the API takes. Only a new agreement names its donor: an agreement's donor does not change. */
function bodyOf(d: Draft, isNew: boolean) {
  const editable = {
    title: d.title,
    signedOn: d.signedOn,
    termYears: numberOrUndefined(d.termYears),
    status: d.status,
    sourceUrl: d.sourceUrl.trim() === '' ? null : d.sourceUrl.trim(),
    commitments: d.commitments.map((c) => ({
      year: numberOrUndefined(c.year),
      valueEur: eurOrNull(c.valueEur),
      ...(c.byCategory ? { byCategory: c.byCategory } : {}),
    })),
  };
  return isNew ? { donor: d.donor.trim(), ...editable } : editable;
}

/**
 * The fields of a checked change that differ from the agreement as loaded. Only these are sent: the audit entry
 * then names what was changed, and a field someone else changed meanwhile is not put back to this page's copy.
 */
function changedFields(patch: AgreementPatch, before: Agreement): AgreementPatch {
  const changed = Object.entries(patch).filter(
    ([field, value]) => canonicalize(value) !== canonicalize(before[field as keyof AgreementPatch]),
  );
  return Object.fromEntries(changed);
}

/** The year a new row starts with: the one after the last row's, else the year of signature, else this year. */
function nextYear(d: Draft): string {
  const last = Number(d.commitments[d.commitments.length - 1]?.year);
  if (Number.isInteger(last) && last > 0) return String(last + 1);
  const signed = Number(d.signedOn.slice(0, 4));
  return String(Number.isInteger(signed) && signed > 0 ? signed : new Date().getUTCFullYear());
}

/** What a typed figure reads as, under its field: "€1.5bn", or that an empty one is not public. */
function figureHint(valueEur: string): string | undefined {
  const value = eurOrNull(valueEur);
  if (value === null) return 'Empty: not public';
  return Number.isFinite(value) ? formatEur(value) : undefined;
}

/**
 * Records a bilateral security agreement, or edits one (`existing`): its title, donor (new only), signature, term,
 * status, public text and the donor's commitment year by year. Checked by the API's own schema before sending; the
 * API's answer is shown at the fields too.
 */
export function AgreementForm({
  existing,
  onSaved,
}: {
  existing?: Agreement;
  onSaved: (saved: Agreement) => void;
}) {
  const { user } = useAuth();
  // A donor liaison records only its own nation's agreements (the API refuses any other): its nation is fixed.
  const ownNation = user ? donorScope(user) : null;
  const isNew = !existing;
  const [draft, setDraft] = useState<Draft>(() => draftOf(existing, ownNation ?? ''));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);
  // One key per body: a retry of the same agreement is recorded once, a corrected one is a new request.
  const idempotency = useRef<{ body: string; key: string }>(null);

  const set = (field: Exclude<keyof Draft, 'commitments'>) => (value: string) =>
    setDraft((d) => ({ ...d, [field]: value }));
  const setYear = (index: number, field: 'year' | 'valueEur') => (value: string) =>
    setDraft((d) => ({
      ...d,
      commitments: d.commitments.map((c, i) => (i === index ? { ...c, [field]: value } : c)),
    }));
  const addYear = () =>
    setDraft((d) => ({
      ...d,
      commitments: [...d.commitments, { key: crypto.randomUUID(), year: nextYear(d), valueEur: '' }],
    }));
  const removeYear = (index: number) => {
    // The rows after it move up: their errors, by index, would point at the wrong rows.
    setErrors((e) =>
      Object.fromEntries(Object.entries(e).filter(([path]) => !path.startsWith('commitments.'))),
    );
    setDraft((d) => ({ ...d, commitments: d.commitments.filter((_, i) => i !== index) }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    const body = bodyOf(draft, isNew);
    let save: () => Promise<Agreement>;
    if (existing) {
      const checked = AgreementPatch.safeParse(body);
      if (!checked.success) {
        setErrors(zodFieldErrors(checked.error, body));
        return;
      }
      const changes = changedFields(checked.data, existing);
      if (Object.keys(changes).length === 0) {
        setErrors({});
        setFailure('Nothing to save: no field has changed.');
        return;
      }
      save = () =>
        ok(engine.PATCH('/api/v1/agreements/{id}', { params: { path: { id: existing.id } }, body: changes }));
    } else {
      const checked = AgreementInput.safeParse(body);
      if (!checked.success) {
        setErrors(zodFieldErrors(checked.error, body));
        return;
      }
      const input = checked.data;
      const json = canonicalize(input);
      if (idempotency.current?.body !== json) idempotency.current = { body: json, key: newIdempotencyKey() };
      const key = idempotency.current.key;
      save = () =>
        ok(
          engine.POST('/api/v1/agreements', { params: { header: { 'Idempotency-Key': key } }, body: input }),
        );
    }
    setErrors({});
    setSaving(true);
    try {
      onSaved(await save());
    } catch (err) {
      if (err instanceof ApiError && err.details.length) setErrors(serverFieldErrors(err.details));
      setFailure(messageOf(err));
    } finally {
      setSaving(false);
    }
  };

  const error = (path: string) => errors[path];
  const splitYears = draft.commitments
    .filter((c) => c.byCategory && Object.keys(c.byCategory).length > 0)
    .map((c) => c.year);
  const donorHint = ownNation
    ? 'You record your own nation’s agreements.'
    : 'Three letters, e.g. FRA, DEU, POL';
  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate data-testid="agreement-form">
      <Field id="field-title" label="Title" error={error('title')}>
        <input
          {...controlProps('field-title', error('title'))}
          value={draft.title}
          onChange={(e) => set('title')(e.target.value)}
        />
      </Field>
      <div className="form-grid">
        {isNew && (
          <Field id="field-donor" label="Donor nation" error={error('donor')} hint={donorHint}>
            <input
              {...controlProps('field-donor', error('donor'), donorHint)}
              value={draft.donor}
              readOnly={!!ownNation}
              maxLength={3}
              autoCapitalize="characters"
              onChange={(e) => set('donor')(e.target.value.toUpperCase())}
            />
          </Field>
        )}
        <Field id="field-signedOn" label="Signed on" error={error('signedOn')}>
          <input
            {...controlProps('field-signedOn', error('signedOn'))}
            type="date"
            value={draft.signedOn}
            onChange={(e) => set('signedOn')(e.target.value)}
          />
        </Field>
        <Field id="field-termYears" label="Term in years" error={error('termYears')}>
          <input
            {...controlProps('field-termYears', error('termYears'))}
            type="number"
            min={1}
            max={50}
            inputMode="numeric"
            value={draft.termYears}
            onChange={(e) => set('termYears')(e.target.value)}
          />
        </Field>
        <Field id="field-status" label="Status" error={error('status')}>
          <select
            {...controlProps('field-status', error('status'))}
            value={draft.status}
            onChange={(e) => set('status')(e.target.value)}
          >
            {AgreementStatuses.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field id="field-sourceUrl" label="Link to the public text (optional)" error={error('sourceUrl')}>
        <input
          {...controlProps('field-sourceUrl', error('sourceUrl'))}
          type="url"
          inputMode="url"
          placeholder="https://"
          value={draft.sourceUrl}
          onChange={(e) => set('sourceUrl')(e.target.value)}
        />
      </Field>

      <fieldset data-testid="commitments">
        <legend>Annual commitments</legend>
        <p className="muted small">
          What the donor committed for each calendar year, in euros. Leave a figure empty where it is not
          public: it is shown as “Not public”, never as €0.
        </p>
        {error('commitments') && (
          <p className="field-error" role="alert" data-testid="error-commitments">
            {error('commitments')}
          </p>
        )}
        {draft.commitments.length > 0 && (
          <ol className="items">
            {draft.commitments.map((c, i) => {
              const year = `field-commitments.${i}.year`;
              const value = `field-commitments.${i}.valueEur`;
              const hint = figureHint(c.valueEur);
              return (
                <li key={c.key} className="commitment-row" data-testid="commitment-row">
                  <Field id={year} label="Year" error={error(`commitments.${i}.year`)} className="narrow">
                    <input
                      {...controlProps(year, error(`commitments.${i}.year`))}
                      type="number"
                      min={2014}
                      max={2100}
                      step={1}
                      inputMode="numeric"
                      value={c.year}
                      onChange={(e) => setYear(i, 'year')(e.target.value)}
                    />
                  </Field>
                  {/* Text, not a number input: a figure the browser cannot read must not become "not public". */}
                  <Field
                    id={value}
                    label="Value in EUR"
                    error={error(`commitments.${i}.valueEur`)}
                    hint={hint}
                  >
                    <input
                      {...controlProps(value, error(`commitments.${i}.valueEur`), hint)}
                      inputMode="decimal"
                      autoComplete="off"
                      value={c.valueEur}
                      onChange={(e) => setYear(i, 'valueEur')(e.target.value)}
                    />
                  </Field>
                  <button
                    type="button"
                    className="btn btn-small btn-ghost"
                    onClick={() => removeYear(i)}
                    aria-label={c.year.trim() ? `Remove ${c.year.trim()}` : `Remove row ${i + 1}`}
                  >
                    Remove
                  </button>
                </li>
              );
            })}
          </ol>
        )}
        {splitYears.length > 0 && (
          <p className="muted small" data-testid="split-note">
            The split by kind of equipment of {splitYears.join(', ')} is kept as recorded: this form does not
            change it.
          </p>
        )}
        <button type="button" className="btn btn-small" onClick={addYear}>
          Add a year
        </button>
      </fieldset>

      {failure && (
        <div className="alert alert-error" role="alert" data-testid="form-errors">
          {failure}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="save-agreement">
          {saving ? 'Saving…' : isNew ? 'Record the agreement' : 'Save changes'}
        </button>
        <Link
          className="btn btn-ghost"
          to={existing ? `/agreements/${encodeURIComponent(existing.id)}` : '/agreements'}
        >
          Cancel
        </Link>
      </div>
    </form>
  );
}
