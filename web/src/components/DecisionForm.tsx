import { useMemo, useState, type FormEvent } from 'react';
import { DecisionInput } from '@domain/schemas/task';
import { DomainFailure } from '@domain/failures';
import { checkDecision, decisionsByKind, needsAComment, type TaskSnapshot } from '@domain/tasks';
import { ApiError, engine, messageOf, ok } from '../api/client';
import { useSites } from '../api/reference';
import type { Pledge, Task, TaskActionResult } from '../api/types';
import { useAuth } from '../auth/auth';
import { againstRecommendation, commentToSend, recommendedDecision } from '../lib/governance';
import { decisionText, roleText } from '../lib/labels';
import {
  fetchSigningPayload,
  registerKey,
  signChecked,
  signingKeyState,
  SigningMismatchError,
  type KeyState,
  type SigningFields,
} from '../signing/sign-decision';
import { controlProps, Field, Section } from './common';
import type { PackageCheck } from './pledge/DecisionPackage';

interface Prepared {
  body: {
    decision: string;
    comment?: string;
    conditions?: string[];
    constraints?: { excludedSiteIds?: string[]; notBefore?: string };
  };
  /** For a signed decision: the payload checked field by field, and the key that will sign it. */
  signing?: { payload: string; fields: SigningFields; key: KeyState };
}

/**
 * The decision: chosen, then confirmed on a second step that shows exactly what is sent (and, for a command
 * approval, every field and the hash that will be signed). A decision against the engine's recommendation needs a
 * reason, which is recorded in its comment.
 */
export function DecisionForm({
  task,
  pledge,
  check,
  onDone,
}: {
  task: Task;
  pledge: Pledge | undefined;
  check: PackageCheck;
  onDone: (res: TaskActionResult) => void;
}) {
  const { user } = useAuth();
  const decisions = decisionsByKind[task.kind];
  const signed = task.kind === 'command_approval';
  const [decision, setDecision] = useState('');
  const [comment, setComment] = useState('');
  const [conditions, setConditions] = useState<string[]>([]);
  const [newCondition, setNewCondition] = useState('');
  const [excludedSites, setExcludedSites] = useState<string[]>([]);
  const [notBefore, setNotBefore] = useState('');
  const sites = useSites();
  const [tried, setTried] = useState(false);
  const [step, setStep] = useState<string>();
  const [error, setError] = useState<string>();
  const [prepared, setPrepared] = useState<Prepared>();
  const [password, setPassword] = useState('');
  const withConditions = decision.endsWith('_with_conditions');
  const blockedByOther = !!task.assignee && task.assignee !== user?.username;
  const recommended = recommendedDecision(task.kind, pledge);
  const against = againstRecommendation(decision, recommended);
  const recommendedText = decisionText(recommended);

  const body = useMemo<Prepared['body']>(
    () => ({
      decision,
      comment: commentToSend(comment, against, recommendedText),
      conditions: withConditions ? conditions : undefined,
      // A replan may exclude sites or start later; the scheduler takes these as constraints.
      constraints:
        decision === 'replan' && (excludedSites.length || notBefore)
          ? {
              excludedSiteIds: excludedSites.length ? excludedSites : undefined,
              notBefore: notBefore || undefined,
            }
          : undefined,
    }),
    [decision, comment, conditions, withConditions, excludedSites, notBefore, against, recommendedText],
  );
  // The engine's own rules for a decision (needs a comment, needs conditions…), and the reason a departure needs.
  const problem = useMemo(() => {
    if (!decision) return 'Choose a decision.';
    if (against && !comment.trim())
      return `Say why you decide against the engine's recommendation (${recommendedText}): the reason is recorded with your decision.`;
    const parsed = DecisionInput.safeParse(body);
    if (!parsed.success) return parsed.error.issues[0]?.message;
    try {
      checkDecision({ ...task, kind: task.kind } as unknown as TaskSnapshot, parsed.data);
      return undefined;
    } catch (err) {
      return err instanceof DomainFailure ? err.message : messageOf(err);
    }
  }, [body, decision, task, against, comment, recommendedText]);
  const needsComment = against || needsAComment(decision);

  const addCondition = () => {
    const c = newCondition.trim();
    if (c && !conditions.includes(c)) setConditions([...conditions, c]);
    setNewCondition('');
  };

  /** Step one: everything checked, and for a signed decision the engine's payload compared field by field. */
  const review = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setError(undefined);
    if (problem || !user) return;
    try {
      if (!signed) return setPrepared({ body });
      if (check.state !== 'match' || !check.computed)
        throw new Error('The decision package could not be verified in this browser: nothing can be signed.');
      const c = task.context;
      setStep('Fetching the text you sign and comparing it with your decision…');
      const { payload, fields } = await fetchSigningPayload(task.id, {
        signer: user.username,
        role: c.role ?? '',
        step: c.step ?? 0,
        round: c.round ?? 1,
        taskId: task.id,
        pledgeId: task.pledgeId,
        packageHash: check.computed,
        decision: body.decision,
        comment: body.comment ?? '',
        conditions: body.conditions ?? [],
      });
      setStep('Checking your signing key with the engine…');
      const key = await signingKeyState(user.username, setStep);
      setPrepared({ body, signing: { payload, fields, key } });
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setStep(undefined);
    }
  };

  /** Step two: register the key if the engine does not have it yet, sign exactly what was shown, send. */
  const confirm = async () => {
    if (!prepared) return;
    setError(undefined);
    try {
      let extra = {};
      if (prepared.signing) {
        let key = prepared.signing.key;
        if (!key.registered) {
          setStep('Registering your public key with the engine…');
          key = await registerKey(key, password);
          setPassword('');
          setPrepared({ ...prepared, signing: { ...prepared.signing, key } });
        }
        setStep('Signing in this browser…');
        extra = await signChecked(key, prepared.signing.payload);
      }
      setStep('Sending your decision…');
      const res = await ok(
        engine.POST('/api/v1/tasks/{id}/complete', {
          params: { path: { id: task.id } },
          body: { ...prepared.body, ...extra },
        }),
      );
      onDone(res);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 409
          ? `${err.message}: someone else decided it first.`
          : err instanceof ApiError &&
              err.status === 401 &&
              prepared.signing &&
              !prepared.signing.key.registered
            ? 'The password is not right; your key was not registered and nothing was signed.'
            : messageOf(err),
      );
    } finally {
      setStep(undefined);
    }
  };

  if (prepared) {
    const f = prepared.signing?.fields;
    return (
      <Section id="decide" title={signed ? 'Check and sign your decision' : 'Check your decision'}>
        <div data-testid="decision-confirm">
          <p>{signed ? 'You are about to sign exactly this:' : 'You are about to send this decision:'}</p>
          <dl className="facts one-col confirm-list">
            <div>
              <dt>Decision</dt>
              <dd data-testid="confirm-decision">
                <strong>{decisionText(prepared.body.decision)}</strong>
              </dd>
            </div>
            {against && (
              <div>
                <dt>Engine’s recommendation</dt>
                <dd className="text-bad" data-testid="confirm-against">
                  {recommendedText}: you decide against it, with the reason below.
                </dd>
              </div>
            )}
            <div>
              <dt>Comment</dt>
              <dd className="wrap">{prepared.body.comment ?? '(none)'}</dd>
            </div>
            {prepared.body.conditions && (
              <div>
                <dt>Conditions</dt>
                <dd>
                  <ul>
                    {prepared.body.conditions.map((c) => (
                      <li key={c}>{c}</li>
                    ))}
                  </ul>
                </dd>
              </div>
            )}
            {f && (
              <>
                <div>
                  <dt>Signed by</dt>
                  <dd>
                    {f.signer}, as {roleText(f.role)}, step {f.step} of round {f.round}
                  </dd>
                </div>
                <div>
                  <dt>Task and pledge</dt>
                  <dd className="mono wrap">
                    {f.taskId} · {f.pledgeId}
                  </dd>
                </div>
                <div>
                  <dt>Decision package</dt>
                  <dd>
                    <code className="hash" data-testid="confirm-hash">
                      {f.packageHash}
                    </code>{' '}
                    <span className="text-good">✓ the hash this browser computed over the package shown</span>
                  </dd>
                </div>
              </>
            )}
          </dl>
          {prepared.signing && (
            <>
              <details>
                <summary>The exact text that is signed</summary>
                <pre className="payload" data-testid="signing-payload">
                  {prepared.signing.payload}
                </pre>
              </details>
              {!prepared.signing.key.registered && (
                <Field
                  id="signing-password"
                  label="Your password (asked again to register this browser’s signing key)"
                  hint="Your key is made in this browser and never leaves it; the engine keeps its public half."
                >
                  <input
                    {...controlProps('signing-password', undefined, 'hint')}
                    type="password"
                    autoComplete="current-password"
                    value={password}
                    onChange={(e) => setPassword(e.target.value)}
                  />
                </Field>
              )}
            </>
          )}
          {error && (
            <div className="alert alert-error" role="alert" data-testid="decision-error">
              {error}
            </div>
          )}
          {step && (
            <p role="status" aria-live="polite" className="muted">
              {step}
            </p>
          )}
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={!!step || (!!prepared.signing && !prepared.signing.key.registered && !password)}
              onClick={() => void confirm()}
              data-testid="confirm-decision-button"
            >
              {signed ? 'Sign and submit' : 'Submit decision'}
            </button>
            <button
              type="button"
              className="btn btn-ghost"
              disabled={!!step}
              onClick={() => {
                setPrepared(undefined);
                setError(undefined);
              }}
            >
              Back to edit
            </button>
          </div>
        </div>
      </Section>
    );
  }

  return (
    <Section id="decide" title="Your decision">
      <form onSubmit={(e) => void review(e)} data-testid="decision-form" noValidate>
        {blockedByOther && (
          <div className="alert alert-info">
            This task is claimed by {task.assignee}; only they can decide it.
          </div>
        )}
        <fieldset className="decisions">
          <legend>Decision</legend>
          {decisions.map((d) => (
            <label key={d} className="radio">
              <input
                type="radio"
                name="decision"
                value={d}
                checked={decision === d}
                onChange={() => setDecision(d)}
              />{' '}
              {decisionText(d)}
              {d === recommended && <span className="badge tone-progress badge-small">recommended</span>}
            </label>
          ))}
        </fieldset>
        {against && (
          <div className="alert alert-warning" data-testid="against-recommendation">
            The engine recommends <strong>{recommendedText}</strong>. To decide otherwise, give your reason:
            it is recorded with your decision and shown to everyone who decides after you.
          </div>
        )}
        <Field
          id="decision-comment"
          label={
            against
              ? 'Reason for deciding against the recommendation (required)'
              : `Comment${needsComment ? ' (required)' : ' (optional)'}`
          }
        >
          <textarea
            {...controlProps('decision-comment')}
            rows={3}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
        </Field>
        {withConditions && (
          <div className="conditions">
            <p className="label">Conditions</p>
            {conditions.length > 0 && (
              <ul data-testid="conditions">
                {conditions.map((c) => (
                  <li key={c}>
                    {c}{' '}
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      onClick={() => setConditions(conditions.filter((x) => x !== c))}
                      aria-label={`Remove condition: ${c}`}
                    >
                      Remove
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <div className="inline-form">
              <label htmlFor="new-condition" className="sr-only">
                New condition
              </label>
              <input
                id="new-condition"
                placeholder="e.g. France provides a spare-parts pool for 2 years"
                value={newCondition}
                onChange={(e) => setNewCondition(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    addCondition();
                  }
                }}
              />
              <button
                type="button"
                className="btn btn-small"
                onClick={addCondition}
                disabled={!newCondition.trim()}
              >
                Add condition
              </button>
            </div>
          </div>
        )}
        {decision === 'replan' && (
          <fieldset className="checks" data-testid="replan-constraints">
            <legend>Constraints for the new plan (optional)</legend>
            {(sites ?? []).map((site) => (
              <label key={site.id}>
                <input
                  type="checkbox"
                  checked={excludedSites.includes(site.id)}
                  onChange={(e) =>
                    setExcludedSites(
                      e.target.checked
                        ? [...excludedSites, site.id]
                        : excludedSites.filter((x) => x !== site.id),
                    )
                  }
                />{' '}
                Exclude {site.name} ({site.nation})
              </label>
            ))}
            <Field id="replan-not-before" label="No session starting before">
              <input
                id="replan-not-before"
                type="date"
                value={notBefore}
                onChange={(e) => setNotBefore(e.target.value)}
              />
            </Field>
          </fieldset>
        )}
        {signed && (
          <p className="muted small">
            Your decision is signed in this browser with your personal key (made on first use; it never leaves
            this browser). Next you see every field that is signed, with the package’s hash, before anything
            is sent.
          </p>
        )}
        {tried && problem && (
          <div className="alert alert-error" role="alert" data-testid="decision-problem">
            {problem}
          </div>
        )}
        {error && (
          <div className="alert alert-error" role="alert" data-testid="decision-error">
            {error}
          </div>
        )}
        {step && (
          <p role="status" aria-live="polite" className="muted">
            {step}
          </p>
        )}
        <button
          type="submit"
          className="btn btn-primary"
          disabled={!!step || blockedByOther || (signed && check.state === 'mismatch')}
          data-testid="submit-decision"
        >
          {signed ? 'Review what you sign…' : 'Review decision…'}
        </button>
      </form>
    </Section>
  );
}

export { SigningMismatchError };
