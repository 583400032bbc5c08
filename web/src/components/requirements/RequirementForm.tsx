import { useState, type FormEvent } from 'react';
import { Categories } from '@domain/schemas/reference';
import { RequirementInput as RequirementSchema } from '@domain/schemas/requirement';
import { ApiError, engine, messageOf, ok } from '../../api/client';
import { useSystems } from '../../api/reference';
import type { Capability, Requirement } from '../../api/types';
import { categoryText } from '../../lib/labels';
import { newIdempotencyKey } from '../../lib/format';
import { numberOrUndefined, serverFieldErrors, zodFieldErrors, type FieldErrors } from '../../lib/validation';
import { controlProps, Field } from '../common';

interface Draft {
  category: string;
  family: string;
  systemId: string;
  quantity: string;
  priority: string;
  neededBy: string;
  justification: string;
}

const draftOf = (r?: Requirement): Draft => ({
  category: r?.capability.category ?? '',
  family: r?.capability.family ?? '',
  systemId: r?.capability.systemId ?? '',
  quantity: r ? String(r.quantity) : '',
  priority: r ? String(r.priority) : '1',
  neededBy: r?.neededBy ?? '',
  justification: r?.justification ?? '',
});

/** The body the API takes: empty parts of the capability are left out. */
function bodyOf(d: Draft): unknown {
  const capability: Partial<Capability> = {};
  if (d.category) capability.category = d.category as Capability['category'];
  if (d.family.trim()) capability.family = d.family.trim();
  if (d.systemId) capability.systemId = d.systemId;
  return {
    capability,
    quantity: numberOrUndefined(d.quantity),
    priority: Number(d.priority),
    neededBy: d.neededBy,
    justification: d.justification,
  };
}

/**
 * States a new requirement, or amends one (`existing`): what is needed (a category, a family or one system), how
 * many, how urgent, by when and why. Checked by the API's own schema before sending; the API's answer is shown at
 * the fields too.
 */
export function RequirementForm({
  existing,
  onSaved,
}: {
  existing?: Requirement;
  onSaved: (saved: Requirement) => void;
}) {
  const systems = useSystems();
  const [draft, setDraft] = useState<Draft>(() => draftOf(existing));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [key] = useState(newIdempotencyKey);

  const set = (field: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const families = [
    ...new Set(
      (systems ?? []).filter((s) => !draft.category || s.category === draft.category).map((s) => s.family),
    ),
  ].sort();
  const choosable = (systems ?? []).filter(
    (s) =>
      (!draft.category || s.category === draft.category) &&
      (!draft.family.trim() || s.family.toLowerCase() === draft.family.trim().toLowerCase()),
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    const body = bodyOf(draft);
    const checked = RequirementSchema.safeParse(body);
    if (!checked.success) {
      setErrors(zodFieldErrors(checked.error, body));
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      const input = checked.data;
      const saved = existing
        ? await ok(
            engine.PATCH('/api/v1/requirements/{id}', { params: { path: { id: existing.id } }, body: input }),
          )
        : await ok(engine.POST('/api/v1/requirements', { body: input, headers: { 'Idempotency-Key': key } }));
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.details.length) setErrors(serverFieldErrors(err.details));
      setFailure(messageOf(err));
    } finally {
      setSaving(false);
    }
  };

  const error = (path: string) => errors[path];
  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate data-testid="requirement-form">
      <fieldset>
        <legend>What is needed</legend>
        <p className="muted small">
          Name a category, a family or one system; any of them together narrow it.
        </p>
        {error('capability') && (
          <p className="field-error" role="alert" data-testid="error-capability">
            {error('capability')}
          </p>
        )}
        <div className="form-grid">
          <Field id="field-capability.category" label="Category" error={error('capability.category')}>
            <select
              {...controlProps('field-capability.category', error('capability.category'))}
              value={draft.category}
              onChange={(e) => set('category')(e.target.value)}
            >
              <option value="">Any category</option>
              {Categories.map((c) => (
                <option key={c} value={c}>
                  {categoryText(c)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="field-capability.family" label="Family (optional)" error={error('capability.family')}>
            <input
              {...controlProps('field-capability.family', error('capability.family'))}
              list="requirement-families"
              value={draft.family}
              onChange={(e) => set('family')(e.target.value)}
            />
            <datalist id="requirement-families">
              {families.map((f) => (
                <option key={f} value={f} />
              ))}
            </datalist>
          </Field>
          <Field
            id="field-capability.systemId"
            label="System (optional)"
            error={error('capability.systemId')}
          >
            <select
              {...controlProps('field-capability.systemId', error('capability.systemId'))}
              value={draft.systemId}
              onChange={(e) => set('systemId')(e.target.value)}
            >
              <option value="">Any system</option>
              {choosable.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </fieldset>
      <div className="form-grid">
        <Field id="field-quantity" label="Quantity" error={error('quantity')}>
          <input
            {...controlProps('field-quantity', error('quantity'))}
            type="number"
            min={1}
            inputMode="numeric"
            value={draft.quantity}
            onChange={(e) => set('quantity')(e.target.value)}
          />
        </Field>
        <Field id="field-priority" label="Priority" error={error('priority')}>
          <select
            {...controlProps('field-priority', error('priority'))}
            value={draft.priority}
            onChange={(e) => set('priority')(e.target.value)}
          >
            {[1, 2, 3, 4, 5].map((p) => (
              <option key={p} value={p}>
                {p === 1 ? '1 (most urgent)' : p === 5 ? '5 (least urgent)' : p}
              </option>
            ))}
          </select>
        </Field>
        <Field id="field-neededBy" label="Needed by" error={error('neededBy')}>
          <input
            {...controlProps('field-neededBy', error('neededBy'))}
            type="date"
            value={draft.neededBy}
            onChange={(e) => set('neededBy')(e.target.value)}
          />
        </Field>
      </div>
      <Field id="field-justification" label="Justification" error={error('justification')}>
        <textarea
          {...controlProps('field-justification', error('justification'))}
          rows={3}
          value={draft.justification}
          onChange={(e) => set('justification')(e.target.value)}
        />
      </Field>
      {failure && (
        <div className="alert alert-error" role="alert" data-testid="form-errors">
          {failure}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="save-requirement">
          {saving ? 'Saving…' : existing ? 'Save changes' : 'State the requirement'}
        </button>
      </div>
    </form>
  );
}
