import { useEffect, type ReactNode } from 'react';
import { ApiError } from '../api/client';
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
    <span className={`badge tone-${statusTone(status as PledgeStatus)}`} data-testid="status-badge" data-status={status}>
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

/** An error box; a missing route reads as "not available yet" rather than as a failure. */
export function ErrorBox({ error, feature }: { error: unknown; feature?: string }) {
  if (error instanceof ApiError && error.isMissing && feature) return <Unavailable feature={feature} />;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="alert alert-error" role="alert">
      {message}
    </div>
  );
}

/** Shown where the engine does not (yet) offer a route this part of the app uses. */
export function Unavailable({ feature, children }: { feature: string; children?: ReactNode }) {
  return (
    <div className="alert alert-info" role="status" data-testid="unavailable">
      <strong>{feature}</strong> is not available on this server yet. {children}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty muted">{children}</p>;
}

/** A section of a page with its own heading (h2) and an anchor. */
export function Section({ id, title, children, actions }: { id: string; title: string; children: ReactNode; actions?: ReactNode }) {
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
        <small className="field-error" id={`${id}-error`} data-testid={`error-${id.replace(/^field-/, '')}`} role="alert">
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
