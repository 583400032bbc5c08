import { useEffect, type ReactNode } from 'react';
import { formatLocal, relativeTime } from '../lib/format';
import { statusLabel, statusTone } from '../lib/labels';
import type { PledgeStatus } from '../api/types';

/** Sets the tab title and renders the page heading. */
export function PageTitle({ children, actions }: { children: string; actions?: ReactNode }) {
  useEffect(() => {
    document.title = `${children} · NSATU engine`;
  }, [children]);
  return (
    <div className="page-title">
      <h1>{children}</h1>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      className={`badge tone-${statusTone(status as PledgeStatus)}`}
      data-testid="status-badge"
      data-status={status}
    >
      {statusLabel[status as PledgeStatus] ?? status}
    </span>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      {what}…
    </p>
  );
}

/** An error the engine answered (or any other), as an alert. A 404 is an error like any other. */
export function ErrorBox({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="alert alert-error" role="alert">
      {message}
    </div>
  );
}

/** A moment for people: relative ("in 3 days"), with the exact local time on hover and for screen readers. */
export function When({ iso, prefix = '' }: { iso: string | null | undefined; prefix?: string }) {
  if (!iso) return <>—</>;
  const exact = formatLocal(iso);
  return (
    <time dateTime={iso} title={exact}>
      {prefix}
      {relativeTime(iso)}
    </time>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty muted">{children}</p>;
}

/** A section of a page with its own heading (h2) and an anchor. */
export function Section({
  id,
  title,
  children,
  actions,
}: {
  id: string;
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="card" aria-labelledby={`${id}-title`} id={id} data-testid={`section-${id}`}>
      <div className="card-head">
        <h2 id={`${id}-title`}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** Label, control and its error, wired for screen readers (aria-describedby / aria-invalid set by the caller). */
export function Field({
  id,
  label,
  error,
  hint,
  children,
  className,
}: {
  id: string;
  label: ReactNode;
  error?: string;
  hint?: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={`field ${error ? 'has-error' : ''} ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && !error && (
        <small className="hint" id={`${id}-hint`}>
          {hint}
        </small>
      )}
      {error && (
        <small
          className="field-error"
          id={`${id}-error`}
          data-testid={`error-${id.replace(/^field-/, '')}`}
          role="alert"
        >
          {error}
        </small>
      )}
    </div>
  );
}

/** Props for a control inside <Field>: its id, error wiring. */
export const controlProps = (id: string, error?: string, hint?: string) => ({
  id,
  name: id,
  'aria-invalid': error ? true : undefined,
  'aria-describedby': error ? `${id}-error` : hint ? `${id}-hint` : undefined,
});
