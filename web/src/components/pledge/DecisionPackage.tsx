import { useEffect, useState } from 'react';
import { systemName } from '../../api/reference';
import type { Pledge, System, Task } from '../../api/types';
import { formatDate, formatEur, plural } from '../../lib/format';
import { decisionText, severityLabel } from '../../lib/labels';
import { canonicalHash } from '../../signing/sign-decision';
import { Empty } from '../common';

/** The frozen package as the engine stored it (`activities/approval-activities.ts`, DecisionPackage). */
interface FrozenPackage {
  round?: number;
  pledge?: {
    id?: string;
    donor?: string;
    revision?: number;
    items?: Array<{ systemId: string; quantity: number; deliveryWindow: { from: string; to: string } }>;
    trainingOffered?: boolean;
    sustainment?: { spareParts?: boolean; maintenanceYears?: number } | null;
    valueEur?: number | null;
    notes?: string | null;
  };
  review?: {
    findings?: Array<{ code: string; severity: keyof typeof severityLabel; message: string }>;
    score?: number | null;
    recommendation?: string | null;
    decision?: { decision?: string; by?: string; comment?: string | null; conditions?: string[] } | null;
  };
  trainingPlan?: { traineesNeeded?: number; traineesReadyByDeadline?: number; cohorts?: unknown[] } | null;
}

export interface PackageCheck {
  state: 'none' | 'checking' | 'match' | 'mismatch';
  /** The hash recomputed in this browser over the package shown. */
  computed?: string;
  /** The hash the task's signatures bind. */
  expected?: string;
}

/**
 * Recomputes the frozen package's hash in this browser (RFC 8785 JSON, SHA-256) and compares it with the hash the
 * task signs and the one the approval records: what is shown is what is signed, or signing is refused.
 */
export function usePackageCheck(pledge: Pledge | undefined, task: Task): PackageCheck {
  const [check, setCheck] = useState<PackageCheck>({ state: 'none' });
  const pkg = pledge?.approval?.package;
  const expected = typeof task.context.packageHash === 'string' ? task.context.packageHash : undefined;
  const recorded = pledge?.approval?.packageHash;
  useEffect(() => {
    if (task.kind !== 'command_approval' || !pkg || !expected) {
      setCheck({ state: 'none', expected });
      return;
    }
    let live = true;
    setCheck({ state: 'checking', expected });
    void canonicalHash(pkg).then((computed) => {
      if (live)
        setCheck({
          state: computed === expected && computed === recorded ? 'match' : 'mismatch',
          computed,
          expected,
        });
    });
    return () => {
      live = false;
    };
  }, [pkg, expected, recorded, task.kind]);
  return check;
}

/** The hash check in words, for the package and for the signing confirmation. */
export function PackageHashCheck({ check }: { check: PackageCheck }) {
  if (check.state === 'none') return null;
  return (
    <p
      className={`hash-check ${check.state === 'mismatch' ? 'text-bad' : ''}`}
      data-testid="package-hash"
      data-state={check.state}
    >
      {check.state === 'checking' && 'Recomputing the package’s hash in this browser…'}
      {check.state === 'match' && (
        <>
          <span aria-hidden="true">✓ </span>SHA-256 recomputed in this browser over the package below:{' '}
          <code className="hash">{check.computed}</code>, the hash your signature binds.
        </>
      )}
      {check.state === 'mismatch' && (
        <>
          <strong>The package shown does not match the hash you would sign.</strong> This browser computes{' '}
          <code className="hash">{check.computed}</code>; the task binds{' '}
          <code className="hash">{check.expected}</code>. Signing is refused: reload the page, and tell NSATU
          staff if it persists.
        </>
      )}
    </p>
  );
}

/** The frozen decision package, as it is hashed and signed: pledge, findings, review decision, training plan. */
export function DecisionPackage({
  pledge,
  check,
  systems,
}: {
  pledge: Pledge;
  check: PackageCheck;
  systems: System[] | undefined;
}) {
  const pkg = pledge.approval?.package as FrozenPackage | undefined;
  if (!pkg?.pledge) return <Empty>No decision package has been frozen yet.</Empty>;
  const p = pkg.pledge;
  const findings = pkg.review?.findings ?? [];
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const plan = pkg.trainingPlan;
  return (
    <div data-testid="decision-package">
      <PackageHashCheck check={check} />
      <dl className="facts">
        <div>
          <dt>Donor</dt>
          <dd>{p.donor}</dd>
        </div>
        <div>
          <dt>Revision</dt>
          <dd>{p.revision ?? 1}</dd>
        </div>
        <div>
          <dt>Value</dt>
          <dd>{formatEur(p.valueEur)}</dd>
        </div>
        <div>
          <dt>Support</dt>
          <dd>
            {p.trainingOffered ? 'Training offered' : 'No training offered'};{' '}
            {p.sustainment?.spareParts ? 'spare parts' : 'no spare parts'},{' '}
            {plural(p.sustainment?.maintenanceYears ?? 0, 'year')} of maintenance
          </dd>
        </div>
      </dl>
      <ul className="plain-list">
        {(p.items ?? []).map((i) => (
          <li key={i.systemId}>
            {i.quantity} × {systemName(systems, i.systemId)}, delivered {formatDate(i.deliveryWindow.from)} –{' '}
            {formatDate(i.deliveryWindow.to)}
          </li>
        ))}
      </ul>
      <p>
        Review: score {pkg.review?.score ?? '—'}/100, engine recommends{' '}
        <strong>{decisionText(pkg.review?.recommendation)}</strong>; {plural(count('blocker'), 'blocker')},{' '}
        {plural(count('warning'), 'warning')}. Reviewer decided{' '}
        <strong>{decisionText(pkg.review?.decision?.decision)}</strong>
        {pkg.review?.decision?.by && <> ({pkg.review.decision.by})</>}
        {pkg.review?.decision?.conditions?.length ? (
          <> with conditions: {pkg.review.decision.conditions.join('; ')}</>
        ) : null}
        .
      </p>
      {plan && (
        <p>
          Training: {plan.traineesReadyByDeadline ?? 0} of {plan.traineesNeeded ?? 0} trainees ready by
          delivery, in {plural(plan.cohorts?.length ?? 0, 'cohort')}.
        </p>
      )}
      <details>
        <summary>The package exactly as hashed (JSON)</summary>
        <pre className="payload">{JSON.stringify(pkg, null, 2)}</pre>
      </details>
    </div>
  );
}
