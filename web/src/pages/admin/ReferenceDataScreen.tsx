import { useState, type FormEvent } from 'react';
import { ApiError, engine, messageOf, ok, type ErrorDetail, type Schemas } from '../../api/client';
import { useSystems } from '../../api/reference';
import { useApi } from '../../api/use-api';
import { Empty, ErrorBox, Field, Loading, Section } from '../../components/common';
import { categoryText } from '../../lib/labels';

/**
 * A reference collection an admin can edit: how to read it, how to write one record, and its key. The record is
 * JSON an admin typed: the engine validates it (and answers what is wrong field by field).
 */
interface Collection {
  label: string;
  key: 'id' | 'family';
  list: (signal: AbortSignal) => Promise<{ items: object[] }>;
  save: (key: string, record: unknown) => Promise<unknown>;
}

// Adding an editable collection: one entry here.
const collections: Record<string, Collection> = {
  systems: {
    label: 'Systems catalogue',
    key: 'id',
    list: (signal) => ok(engine.GET('/api/v1/catalog/systems', { signal })),
    save: (id, record) =>
      ok(
        engine.PUT('/api/v1/admin/catalog/systems/{id}', {
          params: { path: { id } },
          body: record as Schemas['SystemInput'],
        }),
      ),
  },
  inventory: {
    label: "Ukraine's inventory",
    key: 'family',
    list: (signal) => ok(engine.GET('/api/v1/inventory', { signal })),
    save: (family, record) =>
      ok(
        engine.PUT('/api/v1/admin/inventory/{family}', {
          params: { path: { family } },
          body: record as Schemas['InventoryInput'],
        }),
      ),
  },
  coalitions: {
    label: 'Capability coalitions',
    key: 'id',
    list: (signal) => ok(engine.GET('/api/v1/coalitions', { signal })),
    save: (id, record) =>
      ok(
        engine.PUT('/api/v1/admin/coalitions/{id}', {
          params: { path: { id: id as Schemas['CoalitionId'] } },
          body: record as Schemas['CoalitionInput'],
        }),
      ),
  },
  needs: {
    label: "Ukraine's needs",
    key: 'id',
    list: (signal) => ok(engine.GET('/api/v1/needs', { signal })),
    save: (id, record) =>
      ok(
        engine.PUT('/api/v1/admin/needs/{id}', {
          params: { path: { id } },
          body: record as Schemas['NeedInput'],
        }),
      ),
  },
  courses: {
    label: 'Training courses',
    key: 'id',
    list: (signal) => ok(engine.GET('/api/v1/training/courses', { signal })),
    save: (id, record) =>
      ok(
        engine.PUT('/api/v1/admin/training/courses/{id}', {
          params: { path: { id } },
          body: record as Schemas['CourseInput'],
        }),
      ),
  },
  sites: {
    label: 'Training sites',
    key: 'id',
    list: (signal) => ok(engine.GET('/api/v1/training/sites', { signal })),
    save: (id, record) =>
      ok(
        engine.PUT('/api/v1/admin/training/sites/{id}', {
          params: { path: { id } },
          body: record as Schemas['SiteInput'],
        }),
      ),
  },
  sessions: {
    label: 'Course sessions',
    key: 'id',
    list: (signal) => ok(engine.GET('/api/v1/training/sessions', { signal })),
    save: (id, record) =>
      ok(
        engine.PUT('/api/v1/admin/training/sessions/{id}', {
          params: { path: { id } },
          body: record as Schemas['SessionInput'],
        }),
      ),
  },
};

// Fields the API computes; they are not part of what an admin saves.
const computed = ['seatsReserved', 'seatsLeft'];

/** Reference data: pick a collection and a record, edit it as JSON, save it (PUT); the server validates. */
export function ReferenceDataScreen() {
  const [name, setName] = useState('systems');
  const collection = collections[name];
  const list = useApi(
    (signal) => collection.list(signal) as Promise<{ items: Array<Record<string, unknown>> }>,
    [name],
  );
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
    const body = Object.fromEntries(
      Object.entries(record).filter(([k]) => k !== collection.key && !computed.includes(k)),
    );
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
      await collection.save(key, body);
      setMessage(`Saved ${key}.`);
      list.reload();
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.details);
      setMessage(messageOf(err));
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
      {list.error && <ErrorBox error={list.error} />}
      {list.data && <p className="muted small">{items.length} records.</p>}
      {selected && (
        <form onSubmit={(e) => void save(e)}>
          <Field id="ref-json" label="Record (JSON)">
            <textarea
              id="ref-json"
              className="mono"
              rows={14}
              value={text}
              onChange={(e) => setText(e.target.value)}
              spellCheck={false}
            />
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
    <div className="table-wrap" role="region" aria-label="Table" tabIndex={0}>
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
