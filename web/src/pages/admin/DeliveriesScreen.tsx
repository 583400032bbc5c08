import { useState } from 'react';
import { engine, messageOf, ok } from '../../api/client';
import type { Delivery } from '../../api/types';
import { useApi } from '../../api/use-api';
import { Empty, ErrorBox, Section } from '../../components/common';
import { formatLocal } from '../../lib/format';

/** Failed e-mail and webhook deliveries, each sent again on demand. */
export function DeliveriesScreen() {
  const deliveries = useApi(
    (signal) =>
      ok(engine.GET('/api/v1/admin/deliveries', { params: { query: { state: 'failed' } }, signal })),
    [],
  );
  const [message, setMessage] = useState<string>();
  const retry = async (d: Delivery) => {
    setMessage(undefined);
    try {
      await ok(engine.POST('/api/v1/admin/deliveries/{id}/retry', { params: { path: { id: d.id } } }));
      setMessage(`Delivery to ${d.target} queued again.`);
      deliveries.reload();
    } catch (err) {
      setMessage(messageOf(err));
    }
  };
  return (
    <Section
      id="deliveries"
      title="Failed notification deliveries"
      actions={
        <button type="button" className="btn btn-small btn-ghost" onClick={deliveries.reload}>
          Refresh
        </button>
      }
    >
      {deliveries.error && <ErrorBox error={deliveries.error} />}
      {message && (
        <p role="status" className="muted">
          {message}
        </p>
      )}
      {deliveries.data && deliveries.data.items.length === 0 && <Empty>No failed deliveries.</Empty>}
      {deliveries.data && deliveries.data.items.length > 0 && (
        <div className="table-wrap" role="region" aria-label="Table" tabIndex={0}>
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
                  <td>{formatLocal(d.failedAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => void retry(d)}
                      aria-label={`Retry delivery to ${d.target}`}
                    >
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
