import { useState, type FormEvent } from 'react';
import { NotificationTypes } from '@domain/notifications';
import { Roles } from '@domain/schemas/common';
import { api, ApiError, messageOf, request, type ErrorDetail } from '../api/client';
import { useSystems } from '../api/reference';
import type { Delivery, Role, Webhook } from '../api/types';
import { useApi } from '../api/use-api';
import { useAuth } from '../auth/auth';
import { controlProps, Empty, ErrorBox, Field, Loading, PageTitle, Section, Unavailable } from '../components/common';
import { serverFieldErrors, type FieldErrors } from '../lib/validation';
import { formatDateTime } from '../lib/format';
import { categoryText, roleText } from '../lib/labels';

const sections = [
  ['users', 'Users and roles'],
  ['reference', 'Reference data'],
  ['policies', 'Policies'],
  ['webhooks', 'Webhooks'],
  ['deliveries', 'Failed deliveries'],
] as const;

/** Users, reference data, policies, webhook subscriptions and failed deliveries. Parts whose routes are missing say so. */
export function AdminPage() {
  const { hasRole } = useAuth();
  if (!hasRole('admin')) {
    return (
      <>
        <PageTitle>Admin</PageTitle>
        <p>This page is for administrators.</p>
      </>
    );
  }
  return (
    <>
      <PageTitle>Admin</PageTitle>
      <nav aria-label="Admin sections" className="subnav">
        {sections.map(([id, label]) => (
          <a key={id} href={`#${id}`}>
            {label}
          </a>
        ))}
      </nav>
      <Users />
      <ReferenceData />
      <Policies />
      <Webhooks />
      <Deliveries />
    </>
  );
}

interface AdminUser {
  id?: string;
  username: string;
  displayName?: string;
  roles: Role[];
  nation: string | null;
  active?: boolean;
  email?: string | null;
}

/** Role checkboxes shared by the new-user form and the per-user editor. */
function RolePicker({ idPrefix, roles, onChange }: { idPrefix: string; roles: Role[]; onChange: (r: Role[]) => void }) {
  return (
    <fieldset className="checks role-picker">
      <legend>Roles</legend>
      {Roles.map((r) => (
        <label key={r} htmlFor={`${idPrefix}-${r}`}>
          <input id={`${idPrefix}-${r}`} type="checkbox" checked={roles.includes(r)} onChange={(e) => onChange(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))} />{' '}
          {roleText(r)}
        </label>
      ))}
    </fieldset>
  );
}

function Users() {
  const users = useApi<{ items: AdminUser[] }>('/admin/users');
  const [editing, setEditing] = useState<string>();
  return (
    <Section id="users" title="Users and roles">
      {users.error && <ErrorBox error={users.error} feature="User management" />}
      {!users.data && !users.error && <Loading />}
      {users.data && (
        <div className="table-wrap">
          <table className="table" data-testid="user-table">
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Name</th>
                <th scope="col">Roles</th>
                <th scope="col">Nation</th>
                <th scope="col">Active</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) =>
                editing === u.username ? (
                  <tr key={u.username}>
                    <td colSpan={6}>
                      <UserEditor
                        user={u}
                        onDone={() => {
                          setEditing(undefined);
                          users.reload();
                        }}
                      />
                    </td>
                  </tr>
                ) : (
                  <tr key={u.username}>
                    <td>{u.username}</td>
                    <td>{u.displayName ?? '—'}</td>
                    <td>{u.roles.map(roleText).join(', ')}</td>
                    <td>{u.nation ?? '—'}</td>
                    <td>{u.active === false ? 'No' : 'Yes'}</td>
                    <td>
                      <button type="button" className="btn btn-small btn-ghost" onClick={() => setEditing(u.username)} aria-label={`Edit ${u.username}`}>
                        Edit
                      </button>
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
      {users.data && <NewUserForm onCreated={users.reload} />}
    </Section>
  );
}

function UserEditor({ user, onDone }: { user: AdminUser; onDone: () => void }) {
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [nation, setNation] = useState(user.nation ?? '');
  const [active, setActive] = useState(user.active !== false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    setError(undefined);
    try {
      await request(`/admin/users/${encodeURIComponent(user.username)}`, { method: 'PATCH', body: { roles, nation: nation.trim() || null, active } });
      onDone();
    } catch (err) {
      if (err instanceof ApiError) setErrors(serverFieldErrors(err.details));
      setError(messageOf(err));
    }
  };
  const id = `edit-${user.username}`;
  return (
    <form onSubmit={(e) => void save(e)} className="user-editor">
      <strong>{user.username}</strong>
      <RolePicker idPrefix={id} roles={roles} onChange={setRoles} />
      {errors.roles && <small className="field-error">{errors.roles}</small>}
      <Field id={`${id}-nation`} label="Nation" error={errors.nation}>
        <input {...controlProps(`${id}-nation`, errors.nation)} maxLength={3} value={nation} onChange={(e) => setNation(e.target.value.toUpperCase())} />
      </Field>
      <label className="checks">
        <span>
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> Active
        </span>
      </label>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary btn-small">
          Save
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={onDone}>
          Cancel
        </button>
      </div>
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
    </form>
  );
}

function NewUserForm({ onCreated }: { onCreated: () => void }) {
  const blank = { username: '', displayName: '', password: '', nation: '', email: '' };
  const [f, setF] = useState(blank);
  const [roles, setRoles] = useState<Role[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string>();
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    setMessage(undefined);
    try {
      await api.post('/admin/users', {
        username: f.username.trim(),
        displayName: f.displayName.trim(),
        password: f.password,
        roles,
        nation: f.nation.trim() || null,
        email: f.email.trim() || null,
      });
      setMessage(`User ${f.username} created.`);
      setF(blank);
      setRoles([]);
      onCreated();
    } catch (err) {
      if (err instanceof ApiError) setErrors(serverFieldErrors(err.details));
      setMessage(messageOf(err));
    }
  };
  const input = (name: keyof typeof blank, label: string, type = 'text') => (
    <Field id={`new-user-${name}`} label={label} error={errors[name]}>
      <input {...controlProps(`new-user-${name}`, errors[name])} type={type} value={f[name]} onChange={(e) => setF({ ...f, [name]: e.target.value })} />
    </Field>
  );
  return (
    <details className="admin-form">
      <summary>Add a user</summary>
      <form onSubmit={(e) => void create(e)}>
        <div className="form-grid">
          {input('username', 'Username')}
          {input('displayName', 'Display name')}
          {input('password', 'Initial password (12+ characters)', 'password')}
          {input('nation', 'Nation (for donor liaisons)')}
          {input('email', 'E-mail (optional)', 'email')}
        </div>
        <RolePicker idPrefix="new-user-role" roles={roles} onChange={setRoles} />
        {errors.roles && <small className="field-error">{errors.roles}</small>}
        <button type="submit" className="btn btn-primary">
          Create user
        </button>
        {message && (
          <p role="status" className="muted">
            {message}
          </p>
        )}
      </form>
    </details>
  );
}

/** A reference collection an admin can edit: where to read it, where to write one record, and its key. */
interface Collection {
  label: string;
  list: string;
  key: 'id' | 'family';
  save: (key: string) => string;
}

// Adding an editable collection: one line here.
const collections: Record<string, Collection> = {
  systems: { label: 'Systems catalogue', list: '/catalog/systems', key: 'id', save: (k) => `/admin/catalog/systems/${encodeURIComponent(k)}` },
  inventory: { label: "Ukraine's inventory", list: '/inventory', key: 'family', save: (k) => `/admin/inventory/${encodeURIComponent(k)}` },
  needs: { label: "Ukraine's needs", list: '/needs', key: 'id', save: (k) => `/admin/needs/${encodeURIComponent(k)}` },
  courses: { label: 'Training courses', list: '/training/courses', key: 'id', save: (k) => `/admin/training/courses/${encodeURIComponent(k)}` },
  sites: { label: 'Training sites', list: '/training/sites', key: 'id', save: (k) => `/admin/training/sites/${encodeURIComponent(k)}` },
  sessions: { label: 'Course sessions', list: '/training/sessions', key: 'id', save: (k) => `/admin/training/sessions/${encodeURIComponent(k)}` },
};

// Fields the API computes; they are not part of what an admin saves.
const computed = ['seatsReserved', 'seatsLeft'];

/** Reference data: pick a collection and a record, edit it as JSON, save it (PUT); the server validates. */
function ReferenceData() {
  const [name, setName] = useState('systems');
  const collection = collections[name];
  const list = useApi<{ items: Array<Record<string, unknown>> }>(collection.list);
  const [selected, setSelected] = useState('');
  const [newKey, setNewKey] = useState('');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<ErrorDetail[]>([]);
  const [message, setMessage] = useState<string>();
  const items = list.data?.items ?? [];

  const pick = (key: string) => {
    setSelected(key);
    setErrors([]);
    setMessage(undefined);
    const record = items.find((i) => String(i[collection.key]) === key);
    if (!record) return setText('{\n}');
    const body = Object.fromEntries(Object.entries(record).filter(([k]) => k !== collection.key && !computed.includes(k)));
    setText(JSON.stringify(body, null, 2));
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setErrors([]);
    setMessage(undefined);
    const key = selected === '__new' ? newKey.trim() : selected;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      return setMessage(`The JSON does not parse: ${messageOf(err)}`);
    }
    try {
      await request(collection.save(key), { method: 'PUT', body });
      setMessage(`Saved ${key}.`);
      list.reload();
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.details);
      setMessage(err instanceof ApiError && err.isMissing ? 'Editing this collection is not available on this server yet.' : messageOf(err));
    }
  };

  return (
    <Section id="reference" title="Reference data">
      <div className="filters">
        <Field id="ref-collection" label="Collection">
          <select
            id="ref-collection"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setSelected('');
              setText('');
            }}
          >
            {Object.entries(collections).map(([k, c]) => (
              <option key={k} value={k}>
                {c.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="ref-record" label="Record">
          <select id="ref-record" value={selected} onChange={(e) => pick(e.target.value)}>
            <option value="">Choose…</option>
            <option value="__new">New record…</option>
            {items.map((i) => (
              <option key={String(i[collection.key])} value={String(i[collection.key])}>
                {String(i.name ?? i.description ?? i[collection.key])}
              </option>
            ))}
          </select>
        </Field>
        {selected === '__new' && (
          <Field id="ref-new-key" label={collection.key === 'id' ? 'Id (lowercase slug)' : 'Family'}>
            <input id="ref-new-key" value={newKey} onChange={(e) => setNewKey(e.target.value)} />
          </Field>
        )}
      </div>
      {list.error && <ErrorBox error={list.error} feature={collection.label} />}
      {list.data && <p className="muted small">{items.length} records.</p>}
      {selected && (
        <form onSubmit={(e) => void save(e)}>
          <Field id="ref-json" label="Record (JSON)">
            <textarea id="ref-json" className="mono" rows={14} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
          </Field>
          {errors.length > 0 && (
            <ul className="alert alert-error" role="alert">
              {errors.map((d) => (
                <li key={`${d.path}-${d.message}`}>
                  <span className="mono">{d.path || '(record)'}</span>: {d.message}
                </li>
              ))}
            </ul>
          )}
          <button type="submit" className="btn btn-primary" disabled={selected === '__new' && !newKey.trim()}>
            Save
          </button>{' '}
          {message && <span role="status">{message}</span>}
        </form>
      )}
      {name === 'systems' && !selected && <SystemsTable />}
    </Section>
  );
}

function SystemsTable() {
  const systems = useSystems();
  if (!systems) return <Loading />;
  if (systems.length === 0) return <Empty>The catalogue is empty.</Empty>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="catalogue-table">
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">Name</th>
            <th scope="col">Family</th>
            <th scope="col">Category</th>
            <th scope="col">Origin</th>
            <th scope="col">Calibres</th>
            <th scope="col" className="num">
              Crew / maintainers
            </th>
            <th scope="col">Maintenance</th>
          </tr>
        </thead>
        <tbody>
          {systems.map((s) => (
            <tr key={s.id}>
              <td className="mono">{s.id}</td>
              <td>{s.name}</td>
              <td>{s.family}</td>
              <td>{categoryText(s.category)}</td>
              <td>{s.origin}</td>
              <td>{s.calibers.join(', ') || '—'}</td>
              <td className="num">
                {s.crewPerUnit} / {s.maintainersPerUnit}
              </td>
              <td>{s.maintenanceBurden}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface PolicyVersion {
  version: number;
  createdAt?: string;
  createdBy?: string;
  document?: Record<string, unknown>;
}

// Kinds of policy the engine versions; a kind the server does not know yet shows as unavailable.
const policyKinds = [
  ['review', 'Compatibility review'],
  ['tasks', 'Task deadlines and escalation'],
  ['approval', 'Approval chain'],
] as const;

function Policies() {
  return (
    <Section id="policies" title="Policies">
      <p className="muted small">A new version applies to workflows started after it; running ones keep the version they started with.</p>
      {policyKinds.map(([kind, label]) => (
        <PolicyEditor key={kind} kind={kind} label={label} />
      ))}
    </Section>
  );
}

function PolicyEditor({ kind, label }: { kind: string; label: string }) {
  const versions = useApi<{ items: PolicyVersion[] }>(`/policies/${kind}`);
  const [text, setText] = useState<string>();
  const [errors, setErrors] = useState<ErrorDetail[]>([]);
  const [message, setMessage] = useState<string>();
  const latest = versions.data?.items[0];
  if (versions.error) {
    const unknownKind = versions.error instanceof ApiError && (versions.error.isMissing || versions.error.status === 400);
    return (
      <div className="policy">
        <h3>{label}</h3>
        {unknownKind ? <Unavailable feature={`The ${label.toLowerCase()} policy`} /> : <ErrorBox error={versions.error} />}
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
      const res = await api.post<{ version: number }>(`/admin/policies/${kind}`, body);
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
              · latest {formatDateTime(latest.createdAt)}
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
            <textarea id={`policy-${kind}-json`} className="mono" rows={16} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
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

function Webhooks() {
  const hooks = useApi<{ items: Webhook[] }>('/admin/webhooks');
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [secret, setSecret] = useState<{ url: string; secret: string }>();
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setFieldErrors({});
    try {
      const created = await api.post<Webhook>('/admin/webhooks', { url: url.trim(), events });
      setSecret({ url: created.url, secret: created.secret ?? '' });
      setUrl('');
      setEvents([]);
      hooks.reload();
    } catch (err) {
      const details = (err as { details?: Array<{ path: string; message: string }> }).details ?? [];
      setFieldErrors(Object.fromEntries(details.map((d) => [d.path, d.message])));
      setError(messageOf(err));
    }
  };
  const remove = async (hook: Webhook) => {
    if (!window.confirm(`Remove the webhook to ${hook.url}?`)) return;
    try {
      await api.delete(`/admin/webhooks/${encodeURIComponent(hook.id)}`);
      hooks.reload();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <Section id="webhooks" title="Webhook subscriptions">
      {hooks.error && <ErrorBox error={hooks.error} feature="Webhooks" />}
      {hooks.data && hooks.data.items.length === 0 && <Empty>No webhooks.</Empty>}
      {hooks.data && hooks.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="webhook-table">
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {hooks.data.items.map((h) => (
                <tr key={h.id}>
                  <td className="mono">{h.url}</td>
                  <td>{h.events.length ? h.events.join(', ') : 'all events'}</td>
                  <td>
                    {formatDateTime(h.createdAt)} {h.createdBy && <>by {h.createdBy}</>}
                  </td>
                  <td>
                    <button type="button" className="btn btn-small btn-danger" onClick={() => void remove(h)} aria-label={`Remove webhook ${h.url}`}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {secret && (
        <div className="alert alert-success" role="status">
          Webhook to {secret.url} created. Its signing secret is shown only once: <code data-testid="webhook-secret">{secret.secret}</code>
        </div>
      )}
      <form onSubmit={(e) => void create(e)} className="webhook-form">
        <h3>Add a webhook</h3>
        <Field id="webhook-url" label="URL" error={fieldErrors.url}>
          <input {...controlProps('webhook-url', fieldErrors.url)} type="url" placeholder="https://example.org/nsatu-hook" value={url} onChange={(e) => setUrl(e.target.value)} required />
        </Field>
        <fieldset className="checks">
          <legend>Events (none: all)</legend>
          {NotificationTypes.map((t) => (
            <label key={t}>
              <input type="checkbox" checked={events.includes(t)} onChange={(e) => setEvents(e.target.checked ? [...events, t] : events.filter((x) => x !== t))} /> {t}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="btn btn-primary" disabled={!url.trim()}>
          Add webhook
        </button>
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
      </form>
    </Section>
  );
}

function Deliveries() {
  const deliveries = useApi<{ items: Delivery[] }>('/admin/deliveries', { state: 'failed' });
  const [message, setMessage] = useState<string>();
  const retry = async (d: Delivery) => {
    setMessage(undefined);
    try {
      await api.post(`/admin/deliveries/${encodeURIComponent(d.id)}/retry`);
      setMessage(`Delivery to ${d.target} queued again.`);
      deliveries.reload();
    } catch (err) {
      setMessage(messageOf(err));
    }
  };
  return (
    <Section id="deliveries" title="Failed notification deliveries" actions={<button type="button" className="btn btn-small btn-ghost" onClick={deliveries.reload}>Refresh</button>}>
      {deliveries.error && <ErrorBox error={deliveries.error} feature="The delivery ledger" />}
      {message && (
        <p role="status" className="muted">
          {message}
        </p>
      )}
      {deliveries.data && deliveries.data.items.length === 0 && <Empty>No failed deliveries.</Empty>}
      {deliveries.data && deliveries.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="delivery-table">
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Target</th>
                <th scope="col">Event</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Failed</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.items.map((d) => (
                <tr key={d.id}>
                  <td>{d.channel}</td>
                  <td className="mono">{d.target}</td>
                  <td className="mono small">{d.eventId}</td>
                  <td>{d.attempts}</td>
                  <td>{d.lastError ?? '—'}</td>
                  <td>{formatDateTime(d.failedAt)}</td>
                  <td>
                    <button type="button" className="btn btn-small" onClick={() => void retry(d)} aria-label={`Retry delivery to ${d.target}`}>
                      Retry
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
