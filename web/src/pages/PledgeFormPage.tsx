import { useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { DELIVERY_HORIZON_YEARS, PledgeSubmission } from '@domain/schemas/pledge';
import { Categories } from '@domain/schemas/reference';
import { ApiError, engine, messageOf, ok } from '../api/client';
import { useSystems } from '../api/reference';
import type { Pledge, System } from '../api/types';
import { useApi } from '../api/use-api';
import { useAuth } from '../auth/auth';
import { controlProps, ErrorBox, Field, Loading, PageTitle, Section } from '../components/common';
import { newIdempotencyKey } from '../lib/format';
import { categoryText } from '../lib/labels';
import { numberOrUndefined, serverFieldErrors, zodFieldErrors, type FieldErrors } from '../lib/validation';

interface ItemDraft {
  key: string;
  systemId: string;
  quantity: string;
  from: string;
  to: string;
}

interface Draft {
  donor: string;
  items: ItemDraft[];
  trainingOffered: boolean;
  spareParts: boolean;
  maintenanceYears: string;
  valueEur: string;
  notes: string;
}

const emptyDraft = (donor: string): Draft => ({
  donor,
  items: [],
  trainingOffered: false,
  spareParts: false,
  maintenanceYears: '0',
  valueEur: '',
  notes: '',
});

const draftOf = (p: Pledge): Draft => ({
  donor: p.donor,
  items: p.items.map((i) => ({
    key: crypto.randomUUID(),
    systemId: i.systemId,
    quantity: String(i.quantity),
    from: i.deliveryWindow.from,
    to: i.deliveryWindow.to,
  })),
  trainingOffered: p.trainingOffered,
  spareParts: p.sustainment.spareParts,
  maintenanceYears: String(p.sustainment.maintenanceYears),
  valueEur: p.valueEur === null ? '' : String(p.valueEur),
  notes: p.notes ?? '',
});

/** The request body the draft stands for: what the shared PledgeInput schema checks as you type. */
const inputOf = (d: Draft) => ({
  donor: d.donor.trim(),
  items: d.items.map((i) => ({
    systemId: i.systemId,
    quantity: numberOrUndefined(i.quantity),
    deliveryWindow: { from: i.from, to: i.to },
  })),
  trainingOffered: d.trainingOffered,
  sustainment: { spareParts: d.spareParts, maintenanceYears: numberOrUndefined(d.maintenanceYears) ?? 0 },
  valueEur: numberOrUndefined(d.valueEur),
  notes: d.notes.trim() ? d.notes : undefined,
});

/** Submit a pledge, or amend one (/pledges/:id/amend) while changes are requested or it was returned. */
export function PledgeFormPage() {
  const { id } = useParams();
  const existing = useApi(
    id ? (signal) => ok(engine.GET('/api/v1/pledges/{id}', { params: { path: { id } }, signal })) : null,
    [id],
  );
  if (id && !existing.data) {
    return (
      <>
        <PageTitle>Amend pledge</PageTitle>
        {existing.error ? <ErrorBox error={existing.error} /> : <Loading />}
      </>
    );
  }
  return <PledgeForm key={id ?? 'new'} amend={existing.data} />;
}

function PledgeForm({ amend }: { amend?: Pledge }) {
  const { user, hasRole } = useAuth();
  const navigate = useNavigate();
  const systems = useSystems();
  const liaisonOnly = !!user?.nation && !hasRole('staff_officer', 'admin');
  const [draft, setDraft] = useState<Draft>(() => (amend ? draftOf(amend) : emptyDraft(user?.nation ?? '')));
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const idempotency = useRef<{ body: string; key: string }>(null);

  const input = useMemo(() => inputOf(draft), [draft]);
  const clientErrors = useMemo(() => {
    const result = PledgeSubmission.safeParse(input);
    return result.success ? {} : readableDates(zodFieldErrors(result.error, input), input);
  }, [input]);

  /** The message shown at a field: the server's (until the field changes), else the schema's once touched. */
  const errorAt = (path: string) =>
    serverErrors[path] ?? (submitted || touched.has(path) ? clientErrors[path] : undefined);
  const touch = (path: string) => setTouched((t) => (t.has(path) ? t : new Set(t).add(path)));
  const clearServer = (path: string) =>
    setServerErrors((e) => {
      if (!(path in e)) return e;
      const { [path]: _gone, ...rest } = e;
      return rest;
    });
  const update = (path: string, change: (d: Draft) => Draft) => {
    setDraft(change);
    touch(path);
    clearServer(path);
  };
  const updateItem = (index: number, field: 'quantity' | 'from' | 'to', value: string) => {
    const path = field === 'quantity' ? `items.${index}.quantity` : `items.${index}.deliveryWindow.${field}`;
    update(path, (d) => ({
      ...d,
      items: d.items.map((it, i) => (i === index ? { ...it, [field]: value } : it)),
    }));
    // A window's end is checked against its start, so changing either re-checks both.
    if (field !== 'quantity') touch(`items.${index}.deliveryWindow.${field === 'from' ? 'to' : 'from'}`);
  };
  const addSystem = (s: System) => {
    update('items', (d) => ({
      ...d,
      items: [...d.items, { key: crypto.randomUUID(), systemId: s.id, quantity: '1', from: '', to: '' }],
    }));
  };
  const removeItem = (index: number) => {
    // Item paths shift when one goes: the server's item errors no longer point at the right rows.
    setServerErrors((e) => Object.fromEntries(Object.entries(e).filter(([p]) => !p.startsWith('items'))));
    update('items', (d) => ({ ...d, items: d.items.filter((_, i) => i !== index) }));
  };

  const allErrors: FieldErrors = { ...(submitted ? clientErrors : {}), ...serverErrors };
  const errorCount = Object.keys(allErrors).length;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setFormError(undefined);
    const parsed = PledgeSubmission.safeParse(input);
    if (!parsed.success) {
      focusFirst(Object.keys(zodFieldErrors(parsed.error, input)));
      return;
    }
    const body = JSON.stringify(parsed.data);
    if (idempotency.current?.body !== body) idempotency.current = { body, key: newIdempotencyKey() };
    setBusy(true);
    try {
      const res = await ok(
        amend
          ? engine.POST('/api/v1/pledges/{id}/amend', {
              params: { path: { id: amend.id } },
              body: parsed.data,
            })
          : engine.POST('/api/v1/pledges', {
              params: { header: { 'Idempotency-Key': idempotency.current.key } },
              body: parsed.data,
            }),
      );
      void navigate(`/pledges/${encodeURIComponent(res.id)}`, {
        state: { flash: amend ? 'Amendment submitted: the review runs again.' : 'Pledge submitted.' },
      });
    } catch (err) {
      if (err instanceof ApiError && err.details.length) {
        const errors = serverFieldErrors(err.details);
        setServerErrors(errors);
        focusFirst(Object.keys(errors));
      }
      setFormError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const title = amend ? `Amend pledge ${amend.id}` : 'Submit a pledge';
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <form
        className="pledge-form"
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-describedby="form-help"
        data-testid="pledge-form"
      >
        <p id="form-help" className="muted">
          Fields are checked as you type with the same rules the engine applies.{' '}
          {amend && 'An amendment sends the pledge through the review again.'}
        </p>
        {(formError || (submitted && errorCount > 0)) && (
          <div className="alert alert-error" role="alert" data-testid="form-errors" tabIndex={-1}>
            <strong>
              {formError && !Object.keys(serverErrors).length
                ? formError
                : `Please correct ${errorCount} ${errorCount === 1 ? 'field' : 'fields'}:`}
            </strong>
            {errorCount > 0 && (
              <ul>
                {Object.entries(allErrors).map(([path, message]) => (
                  <li key={path}>
                    <a href={`#field-${path}`} onClick={(ev) => (ev.preventDefault(), focusFirst([path]))}>
                      {fieldName(path, draft, systems)}
                    </a>
                    : {message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}

        <Section id="donor-section" title="Donor">
          <Field
            id="field-donor"
            label="Donor nation (ISO alpha-3)"
            error={errorAt('donor')}
            hint={liaisonOnly ? 'You pledge for your own nation.' : 'e.g. FRA, DEU, POL'}
          >
            <input
              {...controlProps('field-donor', errorAt('donor'), 'hint')}
              value={draft.donor}
              readOnly={liaisonOnly || !!amend}
              maxLength={3}
              autoCapitalize="characters"
              onChange={(e) => update('donor', (d) => ({ ...d, donor: e.target.value.toUpperCase() }))}
              onBlur={() => touch('donor')}
            />
          </Field>
        </Section>

        <Section id="items-section" title="Items">
          <CataloguePicker
            systems={systems}
            onAdd={addSystem}
            chosen={new Set(draft.items.map((i) => i.systemId))}
            error={errorAt('items')}
          />
          {draft.items.length > 0 && (
            <ol className="items" data-testid="pledge-items">
              {draft.items.map((item, i) => {
                const system = systems?.find((s) => s.id === item.systemId);
                const q = `field-items.${i}.quantity`;
                const from = `field-items.${i}.deliveryWindow.from`;
                const to = `field-items.${i}.deliveryWindow.to`;
                const sysErr = errorAt(`items.${i}.systemId`);
                return (
                  <li
                    key={item.key}
                    className="item-row"
                    data-testid="pledge-item"
                    data-system-id={item.systemId}
                  >
                    <div className="item-name" id={`field-items.${i}.systemId`} tabIndex={-1}>
                      <strong>{system?.name ?? item.systemId}</strong>
                      {system && (
                        <small className="muted">
                          {system.family} · {categoryText(system.category)} · {system.origin}
                        </small>
                      )}
                      {sysErr && (
                        <small className="field-error" role="alert" data-testid={`error-items.${i}.systemId`}>
                          {sysErr}
                        </small>
                      )}
                    </div>
                    <Field id={q} label="Quantity" error={errorAt(`items.${i}.quantity`)} className="narrow">
                      <input
                        {...controlProps(q, errorAt(`items.${i}.quantity`))}
                        type="number"
                        inputMode="numeric"
                        min={1}
                        step={1}
                        value={item.quantity}
                        onChange={(e) => updateItem(i, 'quantity', e.target.value)}
                      />
                    </Field>
                    <Field
                      id={from}
                      label="Delivery from"
                      hint="Not in the past"
                      error={errorAt(`items.${i}.deliveryWindow.from`)}
                    >
                      <input
                        {...controlProps(from, errorAt(`items.${i}.deliveryWindow.from`), 'hint')}
                        type="date"
                        value={item.from}
                        onChange={(e) => updateItem(i, 'from', e.target.value)}
                      />
                    </Field>
                    <Field
                      id={to}
                      label="Delivery to"
                      hint={`Within ${DELIVERY_HORIZON_YEARS} years`}
                      error={errorAt(`items.${i}.deliveryWindow.to`)}
                    >
                      <input
                        {...controlProps(to, errorAt(`items.${i}.deliveryWindow.to`), 'hint')}
                        type="date"
                        value={item.to}
                        onChange={(e) => updateItem(i, 'to', e.target.value)}
                      />
                    </Field>
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      onClick={() => removeItem(i)}
                      aria-label={`Remove ${system?.name ?? item.systemId}`}
                    >
                      Remove
                    </button>
                  </li>
                );
              })}
            </ol>
          )}
        </Section>

        <Section id="support-section" title="Training, sustainment and value">
          <div className="form-grid">
            <div className="field checks">
              <label>
                <input
                  type="checkbox"
                  id="field-trainingOffered"
                  checked={draft.trainingOffered}
                  onChange={(e) =>
                    update('trainingOffered', (d) => ({ ...d, trainingOffered: e.target.checked }))
                  }
                />{' '}
                The donor offers training
              </label>
              <label>
                <input
                  type="checkbox"
                  id="field-sustainment.spareParts"
                  checked={draft.spareParts}
                  onChange={(e) =>
                    update('sustainment.spareParts', (d) => ({ ...d, spareParts: e.target.checked }))
                  }
                />{' '}
                Spare parts included
              </label>
            </div>
            <Field
              id="field-sustainment.maintenanceYears"
              label="Years of maintenance support"
              error={errorAt('sustainment.maintenanceYears')}
            >
              <input
                {...controlProps(
                  'field-sustainment.maintenanceYears',
                  errorAt('sustainment.maintenanceYears'),
                )}
                type="number"
                min={0}
                max={30}
                step={1}
                value={draft.maintenanceYears}
                onChange={(e) =>
                  update('sustainment.maintenanceYears', (d) => ({ ...d, maintenanceYears: e.target.value }))
                }
              />
            </Field>
            <Field
              id="field-valueEur"
              label="Value (EUR, optional)"
              error={errorAt('valueEur')}
              hint="Whole euros, no cents: e.g. 450000000 for €450m"
            >
              <input
                {...controlProps('field-valueEur', errorAt('valueEur'), 'hint')}
                type="number"
                inputMode="numeric"
                min={0}
                step={1}
                value={draft.valueEur}
                onChange={(e) => update('valueEur', (d) => ({ ...d, valueEur: e.target.value }))}
              />
            </Field>
          </div>
          <Field id="field-notes" label="Notes (optional)" error={errorAt('notes')}>
            <textarea
              {...controlProps('field-notes', errorAt('notes'))}
              rows={3}
              value={draft.notes}
              onChange={(e) => update('notes', (d) => ({ ...d, notes: e.target.value }))}
            />
          </Field>
        </Section>

        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="submit-pledge">
            {busy ? 'Submitting…' : amend ? 'Submit amendment' : 'Submit pledge'}
          </button>
          <Link
            to={amend ? `/pledges/${encodeURIComponent(amend.id)}` : '/pledges'}
            className="btn btn-ghost"
          >
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}

function focusFirst(paths: string[]) {
  for (const path of paths) {
    const el = document.getElementById(`field-${path}`);
    if (el) {
      el.focus();
      return;
    }
  }
}

/** "Item 1 (Mirage 2000-5): quantity" for people, from "items.0.quantity". */
function fieldName(path: string, draft: Draft, systems: System[] | undefined): string {
  const m = /^items\.(\d+)\.(.+)$/.exec(path);
  if (m) {
    const item = draft.items[Number(m[1])];
    const name = systems?.find((s) => s.id === item?.systemId)?.name ?? item?.systemId ?? '';
    const field =
      {
        quantity: 'quantity',
        systemId: 'system',
        'deliveryWindow.from': 'delivery from',
        'deliveryWindow.to': 'delivery to',
        deliveryWindow: 'delivery window',
      }[m[2]] ?? m[2];
    return `Item ${Number(m[1]) + 1}${name ? ` (${name})` : ''}: ${field}`;
  }
  return (
    {
      donor: 'Donor',
      items: 'Items',
      valueEur: 'Value',
      notes: 'Notes',
      'sustainment.maintenanceYears': 'Years of maintenance support',
    }[path] ?? path
  );
}

/**
 * Dates come from a date picker, which shows them in the reader's own format: its errors speak of choosing a
 * date, never of a format the reader does not see.
 */
function readableDates(errors: FieldErrors, input: ReturnType<typeof inputOf>): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(errors)) {
    const m = /^items\.(\d+)\.deliveryWindow\.(from|to)$/.exec(path);
    if (m && /YYYY-MM-DD/.test(message)) {
      const value = input.items[Number(m[1])]?.deliveryWindow[m[2] as 'from' | 'to'];
      out[path] = value ? 'is not a whole date: pick day, month and year' : 'choose a date';
    } else out[path] = message;
  }
  return out;
}

/**
 * Find systems in the catalogue by name, family or category, and add them as items. Every system is listed (the
 * list scrolls); one already in the pledge cannot be added twice.
 */
function CataloguePicker({
  systems,
  onAdd,
  chosen,
  error,
}: {
  systems: System[] | undefined;
  onAdd: (s: System) => void;
  chosen: Set<string>;
  error?: string;
}) {
  const [q, setQ] = useState('');
  const [category, setCategory] = useState('');
  const matches = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (systems ?? []).filter(
      (s) =>
        (!category || s.category === category) &&
        (!needle ||
          `${s.name} ${s.family} ${s.id} ${s.category} ${categoryText(s.category)} ${s.origin}`
            .toLowerCase()
            .includes(needle)),
    );
  }, [systems, q, category]);
  return (
    <div className="catalogue" data-testid="catalogue">
      <div className="catalogue-search">
        <Field
          id="field-items"
          label="Find a system in the catalogue"
          error={error}
          hint="Search by name, family or category, e.g. “Mirage”, “F-16”, “howitzer”."
        >
          <input
            {...controlProps('field-items', error, 'hint')}
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="Search the catalogue"
            autoComplete="off"
          />
        </Field>
        <Field id="catalogue-category" label="Category">
          <select id="catalogue-category" value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">All categories</option>
            {Categories.map((c) => (
              <option key={c} value={c}>
                {categoryText(c)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {!systems ? (
        <Loading what="Loading the catalogue" />
      ) : (
        <>
          <p className="muted small" aria-live="polite" data-testid="catalogue-count">
            {matches.length === systems.length
              ? `All ${systems.length} systems`
              : `${matches.length} of ${systems.length} systems match`}
          </p>
          <ul
            className="catalogue-results"
            aria-label="Catalogue matches"
            tabIndex={0}
            data-testid="catalogue-results"
          >
            {matches.map((s) => (
              <li key={s.id}>
                <span>
                  <strong>{s.name}</strong>{' '}
                  <small className="muted">
                    {s.family} · {categoryText(s.category)} · {s.origin}
                  </small>
                </span>
                {chosen.has(s.id) ? (
                  <span className="badge tone-good badge-small">Added</span>
                ) : (
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => onAdd(s)}
                    aria-label={`Add ${s.name}`}
                    data-testid={`add-system-${s.id}`}
                  >
                    Add
                  </button>
                )}
              </li>
            ))}
            {matches.length === 0 && <li className="muted">No system matches “{q}”.</li>}
          </ul>
        </>
      )}
    </div>
  );
}
