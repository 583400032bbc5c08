import { useState, type FormEvent } from 'react';
import { Roles } from '@domain/schemas/common';
import { CoalitionId } from '@domain/schemas/reference';
import { ApiError, engine, messageOf, ok } from '../../api/client';
import type { AdminUser, Role } from '../../api/types';
import { useApi } from '../../api/use-api';
import { controlProps, ErrorBox, Field, Loading, Section } from '../../components/common';
import { coalitionText, roleText } from '../../lib/labels';
import { serverFieldErrors, type FieldErrors } from '../../lib/validation';

/** Role checkboxes shared by the new-user form and the per-user editor. */
function RolePicker({
  idPrefix,
  roles,
  onChange,
}: {
  idPrefix: string;
  roles: Role[];
  onChange: (r: Role[]) => void;
}) {
  return (
    <fieldset className="checks role-picker">
      <legend>Roles</legend>
      {Roles.map((r) => (
        <label key={r} htmlFor={`${idPrefix}-${r}`}>
          <input
            id={`${idPrefix}-${r}`}
            type="checkbox"
            checked={roles.includes(r)}
            onChange={(e) => onChange(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))}
          />{' '}
          {roleText(r)}
        </label>
      ))}
    </fieldset>
  );
}

type Coalition = (typeof CoalitionId.options)[number];

/** Coalition checkboxes for reviewers: their review tasks come only from these coalitions. */
function CoalitionPicker({
  idPrefix,
  coalitions,
  onChange,
}: {
  idPrefix: string;
  coalitions: Coalition[];
  onChange: (c: Coalition[]) => void;
}) {
  return (
    <fieldset className="checks role-picker">
      <legend>Reviews for (capability coalitions; a reviewer in none gets no coalition's review)</legend>
      {CoalitionId.options.map((c) => (
        <label key={c} htmlFor={`${idPrefix}-${c}`}>
          <input
            id={`${idPrefix}-${c}`}
            type="checkbox"
            checked={coalitions.includes(c)}
            onChange={(e) =>
              onChange(e.target.checked ? [...coalitions, c] : coalitions.filter((x) => x !== c))
            }
          />{' '}
          {coalitionText(c)}
        </label>
      ))}
    </fieldset>
  );
}

/** Users and roles: the list, an editor per user, a form for a new user. */
export function UsersScreen() {
  const users = useApi((signal) => ok(engine.GET('/api/v1/admin/users', { signal })), []);
  const [editing, setEditing] = useState<string>();
  return (
    <Section id="users" title="Users and roles">
      {users.error && <ErrorBox error={users.error} />}
      {!users.data && !users.error && <Loading />}
      {users.data && (
        <div className="table-wrap" role="region" aria-label="Table" tabIndex={0}>
          <table className="table" data-testid="user-table">
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Name</th>
                <th scope="col">Roles</th>
                <th scope="col">Nation</th>
                <th scope="col">Coalitions</th>
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
                    <td colSpan={7}>
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
                    <td>{u.coalitions.map(coalitionText).join(', ') || '—'}</td>
                    <td>{u.active === false ? 'No' : 'Yes'}</td>
                    <td>
                      <button
                        type="button"
                        className="btn btn-small btn-ghost"
                        onClick={() => setEditing(u.username)}
                        aria-label={`Edit ${u.username}`}
                      >
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
  const [coalitions, setCoalitions] = useState<Coalition[]>(user.coalitions as Coalition[]);
  const [active, setActive] = useState(user.active !== false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    setError(undefined);
    try {
      await ok(
        engine.PATCH('/api/v1/admin/users/{username}', {
          params: { path: { username: user.username } },
          body: { roles, nation: nation.trim() || null, active, coalitions },
        }),
      );
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
      {roles.includes('reviewer') && (
        <CoalitionPicker idPrefix={`${id}-coalition`} coalitions={coalitions} onChange={setCoalitions} />
      )}
      <Field id={`${id}-nation`} label="Nation" error={errors.nation}>
        <input
          {...controlProps(`${id}-nation`, errors.nation)}
          maxLength={3}
          value={nation}
          onChange={(e) => setNation(e.target.value.toUpperCase())}
        />
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
  const [coalitions, setCoalitions] = useState<Coalition[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string>();
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    setMessage(undefined);
    try {
      await ok(
        engine.POST('/api/v1/admin/users', {
          body: {
            username: f.username.trim(),
            displayName: f.displayName.trim(),
            password: f.password,
            roles,
            nation: f.nation.trim() || null,
            email: f.email.trim() || null,
            coalitions: roles.includes('reviewer') ? coalitions : [],
          },
        }),
      );
      setMessage(`User ${f.username} created.`);
      setF(blank);
      setRoles([]);
      setCoalitions([]);
      onCreated();
    } catch (err) {
      if (err instanceof ApiError) setErrors(serverFieldErrors(err.details));
      setMessage(messageOf(err));
    }
  };
  const input = (name: keyof typeof blank, label: string, type = 'text') => (
    <Field id={`new-user-${name}`} label={label} error={errors[name]}>
      <input
        {...controlProps(`new-user-${name}`, errors[name])}
        type={type}
        value={f[name]}
        onChange={(e) => setF({ ...f, [name]: e.target.value })}
      />
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
        {roles.includes('reviewer') && (
          <CoalitionPicker idPrefix="new-user-coalition" coalitions={coalitions} onChange={setCoalitions} />
        )}
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
