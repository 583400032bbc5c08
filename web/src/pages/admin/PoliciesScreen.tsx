import { useState, type FormEvent } from 'react';
import { ApiError, engine, messageOf, ok, type ErrorDetail, type Schemas } from '../../api/client';
import { useApi } from '../../api/use-api';
import { ErrorBox, Field, Loading, Section } from '../../components/common';
import { formatLocal } from '../../lib/format';

// Kinds of policy the engine versions.
const policyKinds = [
  ['review', 'Compatibility review'],
  ['tasks', 'Task deadlines and escalation'],
  ['approval', 'Approval chain'],
] as const;

/** Versioned policies: the latest of each kind, and publishing a new version. */
export function PoliciesScreen() {
  return (
    <Section id="policies" title="Policies">
      <p className="muted small">
        A new version applies to workflows started after it; running ones keep the version they started with.
      </p>
      {policyKinds.map(([kind, label]) => (
        <PolicyEditor key={kind} kind={kind} label={label} />
      ))}
    </Section>
  );
}

type PolicyKind = (typeof policyKinds)[number][0];

function PolicyEditor({ kind, label }: { kind: PolicyKind; label: string }) {
  const versions = useApi(
    (signal) => ok(engine.GET('/api/v1/policies/{kind}', { params: { path: { kind } }, signal })),
    [kind],
  );
  const [text, setText] = useState<string>();
  const [errors, setErrors] = useState<ErrorDetail[]>([]);
  const [message, setMessage] = useState<string>();
  const latest = versions.data?.items[0];
  if (versions.error) {
    return (
      <div className="policy">
        <h3>{label}</h3>
        <ErrorBox error={versions.error} />
      </div>
    );
  }
  const editable = () => {
    const { version: _v, ...doc } = latest?.document ?? {};
    return JSON.stringify(doc, null, 2);
  };
  const publish = async (e: FormEvent) => {
    e.preventDefault();
    setErrors([]);
    setMessage(undefined);
    let body: unknown;
    try {
      body = JSON.parse(text ?? '');
    } catch (err) {
      return setMessage(`The JSON does not parse: ${messageOf(err)}`);
    }
    try {
      const res = await ok(
        engine.POST('/api/v1/admin/policies/{kind}', {
          params: { path: { kind } },
          body: body as Schemas['PolicyInput'],
        }),
      );
      setMessage(`Version ${res.version} published.`);
      setText(undefined);
      versions.reload();
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.details);
      setMessage(messageOf(err));
    }
  };
  return (
    <div className="policy" data-testid={`policy-${kind}`}>
      <h3>
        {label} {latest && <span className="badge tone-progress">version {latest.version}</span>}
      </h3>
      {!versions.data && <Loading />}
      {versions.data && (
        <p className="muted small">
          {versions.data.items.length} versions
          {latest?.createdAt && (
            <>
              {' '}
              · latest {formatLocal(latest.createdAt)}
              {latest.createdBy && <> by {latest.createdBy}</>}
            </>
          )}
        </p>
      )}
      {text === undefined ? (
        versions.data && (
          <button type="button" className="btn btn-small" onClick={() => setText(editable())}>
            Publish a new version…
          </button>
        )
      ) : (
        <form onSubmit={(e) => void publish(e)}>
          <Field id={`policy-${kind}-json`} label={`New version of the ${label.toLowerCase()} policy (JSON)`}>
            <textarea
              id={`policy-${kind}-json`}
              className="mono"
              rows={16}
              value={text}
              onChange={(e) => setText(e.target.value)}
              spellCheck={false}
            />
          </Field>
          {errors.length > 0 && (
            <ul className="alert alert-error" role="alert">
              {errors.map((d) => (
                <li key={`${d.path}-${d.message}`}>
                  <span className="mono">{d.path || '(document)'}</span>: {d.message}
                </li>
              ))}
            </ul>
          )}
          <div className="form-actions">
            <button type="submit" className="btn btn-primary btn-small">
              Publish
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setText(undefined)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {message && (
        <p role="status" className="muted">
          {message}
        </p>
      )}
    </div>
  );
}
