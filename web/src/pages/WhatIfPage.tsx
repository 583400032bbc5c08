import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { can } from '@domain/permissions';
import { WhatIfInput } from '@domain/schemas/training-portfolio';
import { ApiError, engine, messageOf, ok, type Schemas } from '../api/client';
import { systemName, useCourses, useSystems } from '../api/reference';
import { useAuth } from '../auth/auth';
import { controlProps, Empty, ErrorBox, Field, PageTitle, Section } from '../components/common';
import { audienceOf, unmetSentence } from '../components/pledge/TrainingGantt';
import { formatDate, plural } from '../lib/format';
import { numberOrUndefined, serverFieldErrors, zodFieldErrors, type FieldErrors } from '../lib/validation';

type WhatIfResult = Schemas['WhatIfResult'];

interface ItemDraft {
  key: string;
  systemId: string;
  quantity: string;
  from: string;
  to: string;
}

const newItem = (): ItemDraft => ({
  key: crypto.randomUUID(),
  systemId: '',
  quantity: '1',
  from: '',
  to: '',
});

/** The request the form stands for: what the shared WhatIfInput schema checks before it is sent. */
const inputOf = (pledgeIds: string, items: ItemDraft[]) => {
  const ids = pledgeIds
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    ...(ids.length ? { pledgeIds: ids } : {}),
    ...(items.length
      ? {
          items: items.map((i) => ({
            systemId: i.systemId,
            quantity: numberOrUndefined(i.quantity),
            deliveryWindow: { from: i.from, to: i.to },
          })),
        }
      : {}),
  };
};

/**
 * What-if: the readiness dates and the shortfall if these pledges, or these systems and quantities, were approved
 * now, planned by the engine against the seats already held. Nothing is reserved.
 */
export function WhatIfPage() {
  const [params] = useSearchParams();
  const { user } = useAuth();
  const systems = useSystems();
  const courses = useCourses();
  const [pledgeIds, setPledgeIds] = useState(params.get('pledge') ?? '');
  const [items, setItems] = useState<ItemDraft[]>(() => (params.get('pledge') ? [] : [newItem()]));
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<WhatIfResult>();

  // Arriving from a pledge's page: its what-if is what the reader came for, so it runs at once.
  const fromPledge = params.get('pledge');
  useEffect(() => {
    if (!fromPledge) return;
    const ctrl = new AbortController();
    setBusy(true);
    ok(engine.POST('/api/v1/training/what-if', { body: { pledgeIds: [fromPledge] }, signal: ctrl.signal }))
      .then(setResult)
      .catch((err: unknown) => {
        if (!ctrl.signal.aborted) setFormError(messageOf(err));
      })
      .finally(() => setBusy(false));
    return () => ctrl.abort();
  }, [fromPledge]);

  const input = useMemo(() => inputOf(pledgeIds, items), [pledgeIds, items]);
  const clientErrors = useMemo(() => {
    const parsed = WhatIfInput.safeParse(input);
    return parsed.success ? {} : zodFieldErrors(parsed.error, input);
  }, [input]);
  const errorAt = (path: string) => serverErrors[path] ?? (submitted ? clientErrors[path] : undefined);

  const updateItem = (index: number, change: Partial<ItemDraft>) => {
    setServerErrors({});
    setItems((list) => list.map((it, i) => (i === index ? { ...it, ...change } : it)));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setFormError(undefined);
    const parsed = WhatIfInput.safeParse(input);
    if (!parsed.success) return;
    setBusy(true);
    try {
      setResult(await ok(engine.POST('/api/v1/training/what-if', { body: parsed.data })));
      setServerErrors({});
    } catch (err) {
      setResult(undefined);
      if (err instanceof ApiError && err.details.length) setServerErrors(serverFieldErrors(err.details));
      setFormError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const sourceText = (g: WhatIfResult['groups'][number]) =>
    g.source.kind === 'pledge' ? `Pledge ${g.source.pledgeId}` : `Item ${g.source.index + 1}`;

  return (
    <>
      <PageTitle
        actions={
          user && can(user, 'training:capacity') ? (
            <Link to="/training/capacity">Training capacity</Link>
          ) : undefined
        }
      >
        Training what-if
      </PageTitle>
      <Section id="what-if-form" title="If these were approved now">
        <p className="muted">
          The engine plans the crews against the sessions to come and the seats other pledges already hold.
          Nothing is reserved.
        </p>
        <form onSubmit={(e) => void submit(e)} noValidate data-testid="what-if-form">
          <Field
            id="field-pledgeIds"
            label="Pledge ids (optional, separated by commas)"
            error={errorAt('pledgeIds')}
          >
            <input
              type="text"
              value={pledgeIds}
              onChange={(e) => {
                setServerErrors({});
                setPledgeIds(e.target.value);
              }}
              {...controlProps('field-pledgeIds', errorAt('pledgeIds'))}
            />
          </Field>
          {items.map((item, i) => (
            <fieldset key={item.key} className="form-grid" data-testid="what-if-item">
              <legend>Item {i + 1}</legend>
              <Field id={`field-items.${i}.systemId`} label="System" error={errorAt(`items.${i}.systemId`)}>
                <select
                  value={item.systemId}
                  onChange={(e) => updateItem(i, { systemId: e.target.value })}
                  {...controlProps(`field-items.${i}.systemId`, errorAt(`items.${i}.systemId`))}
                >
                  <option value="">Choose a system</option>
                  {(systems ?? []).map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id={`field-items.${i}.quantity`} label="Quantity" error={errorAt(`items.${i}.quantity`)}>
                <input
                  type="number"
                  min={1}
                  value={item.quantity}
                  onChange={(e) => updateItem(i, { quantity: e.target.value })}
                  {...controlProps(`field-items.${i}.quantity`, errorAt(`items.${i}.quantity`))}
                />
              </Field>
              <Field
                id={`field-items.${i}.deliveryWindow.from`}
                label="Delivery from"
                error={errorAt(`items.${i}.deliveryWindow.from`)}
              >
                <input
                  type="date"
                  value={item.from}
                  onChange={(e) => updateItem(i, { from: e.target.value })}
                  {...controlProps(
                    `field-items.${i}.deliveryWindow.from`,
                    errorAt(`items.${i}.deliveryWindow.from`),
                  )}
                />
              </Field>
              <Field
                id={`field-items.${i}.deliveryWindow.to`}
                label="Delivery to"
                error={errorAt(`items.${i}.deliveryWindow.to`)}
              >
                <input
                  type="date"
                  value={item.to}
                  onChange={(e) => updateItem(i, { to: e.target.value })}
                  {...controlProps(
                    `field-items.${i}.deliveryWindow.to`,
                    errorAt(`items.${i}.deliveryWindow.to`),
                  )}
                />
              </Field>
              <div>
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  onClick={() => {
                    setServerErrors({});
                    setItems((list) => list.filter((_, j) => j !== i));
                  }}
                >
                  Remove item {i + 1}
                </button>
              </div>
            </fieldset>
          ))}
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setItems((list) => [...list, newItem()])}>
              Add an item
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Planning…' : 'Show readiness'}
            </button>
          </div>
          {formError && <ErrorBox error={formError} />}
        </form>
      </Section>
      {result && (
        <Section id="what-if-result" title="Readiness">
          <p data-testid="what-if-summary">
            {result.traineesReadyByDeadline} of {plural(result.traineesNeeded, 'trainee')} would be ready by
            delivery.
          </p>
          {result.groups.length === 0 ? (
            <Empty>These items need no training.</Empty>
          ) : (
            <div className="table-wrap" role="region" aria-label="Readiness per group" tabIndex={0}>
              <table className="table" data-testid="what-if-readiness">
                <thead>
                  <tr>
                    <th scope="col">From</th>
                    <th scope="col">System</th>
                    <th scope="col">Who</th>
                    <th scope="col" className="num">
                      Trainees
                    </th>
                    <th scope="col">Delivery</th>
                    <th scope="col">Ready on</th>
                    <th scope="col" className="num">
                      Ready by delivery
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {result.groups.map((g) => (
                    <tr key={g.groupId} data-testid="what-if-group" className={g.readyOn ? '' : 'row-failed'}>
                      <td>{sourceText(g)}</td>
                      <td>{systemName(systems, g.systemId)}</td>
                      <td>
                        {audienceOf(
                          g.groupId,
                          systems?.find((s) => s.id === g.systemId),
                        )}
                      </td>
                      <td className="num">{g.trainees}</td>
                      <td>{formatDate(g.deadline)}</td>
                      <td data-testid="ready-on">
                        {g.readyOn ? formatDate(g.readyOn) : 'not all can be trained'}
                      </td>
                      <td className="num">{g.readyByDeadline}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3>Shortfall</h3>
          {result.unmet.length === 0 ? (
            <Empty>Every trainee finds a seat.</Empty>
          ) : (
            <ul data-testid="what-if-shortfall">
              {result.unmet.map((u, i) => (
                <li key={i} data-reason={u.reason}>
                  {unmetSentence(u, systems, courses)}
                </li>
              ))}
            </ul>
          )}
          <p className="muted small">
            Planned by {result.solver.method === 'mip' ? 'the optimiser' : 'the fast planner'} in{' '}
            {result.solver.timeMs} ms.
          </p>
        </Section>
      )}
    </>
  );
}
