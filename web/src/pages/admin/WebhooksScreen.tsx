import { useState, type FormEvent } from 'react';
import { NotificationTypes } from '@domain/notifications';
import { ApiError, engine, messageOf, ok } from '../../api/client';
import type { Webhook } from '../../api/types';
import { useApi } from '../../api/use-api';
import { controlProps, Empty, ErrorBox, Field, Section } from '../../components/common';
import { formatLocal } from '../../lib/format';

/** Webhook subscriptions: the list, removal, and a form for a new one (its secret shown once). */
export function WebhooksScreen() {
  const hooks = useApi((signal) => ok(engine.GET('/api/v1/admin/webhooks', { signal })), []);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<Webhook['events']>([]);
  const [secret, setSecret] = useState<{ url: string; secret: string }>();
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setFieldErrors({});
    try {
      const created = await ok(engine.POST('/api/v1/admin/webhooks', { body: { url: url.trim(), events } }));
      setSecret({ url: created.url, secret: created.secret });
      setUrl('');
      setEvents([]);
      hooks.reload();
    } catch (err) {
      const details = err instanceof ApiError ? err.details : [];
      setFieldErrors(Object.fromEntries(details.map((d) => [d.path, d.message])));
      setError(messageOf(err));
    }
  };
  const remove = async (hook: Webhook) => {
    if (!window.confirm(`Remove the webhook to ${hook.url}?`)) return;
    try {
      await ok(engine.DELETE('/api/v1/admin/webhooks/{id}', { params: { path: { id: hook.id } } }));
      hooks.reload();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <Section id="webhooks" title="Webhook subscriptions">
      {hooks.error && <ErrorBox error={hooks.error} />}
      {hooks.data && hooks.data.items.length === 0 && <Empty>No webhooks.</Empty>}
      {hooks.data && hooks.data.items.length > 0 && (
        <div className="table-wrap" role="region" aria-label="Table" tabIndex={0}>
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
                    {formatLocal(h.createdAt)} {h.createdBy && <>by {h.createdBy}</>}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      onClick={() => void remove(h)}
                      aria-label={`Remove webhook ${h.url}`}
                    >
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
          Webhook to {secret.url} created. Its signing secret is shown only once:{' '}
          <code data-testid="webhook-secret">{secret.secret}</code>
        </div>
      )}
      <form onSubmit={(e) => void create(e)} className="webhook-form">
        <h3>Add a webhook</h3>
        <Field id="webhook-url" label="URL" error={fieldErrors.url}>
          <input
            {...controlProps('webhook-url', fieldErrors.url)}
            type="url"
            placeholder="https://example.org/nsatu-hook"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            required
          />
        </Field>
        <fieldset className="checks">
          <legend>Events (none: all)</legend>
          {NotificationTypes.map((t) => (
            <label key={t}>
              <input
                type="checkbox"
                checked={events.includes(t)}
                onChange={(e) => setEvents(e.target.checked ? [...events, t] : events.filter((x) => x !== t))}
              />{' '}
              {t}
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
