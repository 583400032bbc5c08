/**
 * The engine's one vocabulary of refusals. Domain rules, use cases, activities and workflows refuse with a
 * `DomainFailure` of one of these kinds; workflows send the kind as the `type` of their `ApplicationFailure`, and
 * the API maps each kind to one HTTP status (`api/http/errors.ts`). Pure: the web app imports it too.
 */
export const FailureKinds = [
  /** The input breaks a rule the schema cannot check (an unknown id, a date in the past); `details` name the fields. */
  'invalid',
  /** The caller may not do this (their role, their nation, separation of duties, someone else's claim). */
  'forbidden',
  /** What the request names does not exist (or is not the caller's to see). */
  'not_found',
  /** The thing is not in a state that allows this (a closed task, a finished stage, a lost race). */
  'conflict',
  /** Well-formed, but not acceptable as it stands (a decision without its comment, counts that do not add up). */
  'unprocessable',
  /** More than the engine takes at once (a CSV with too many rows); split it. */
  'too_large',
  /** A service the engine needs is down; nothing was done and the same request may be retried. */
  'unavailable',
] as const;
export type FailureKind = (typeof FailureKinds)[number];

/** One failing field, dotted (`items.0.quantity`); `body` or empty for the whole input. */
export interface FailureDetail {
  path: string;
  message: string;
}

/** A refusal by a domain rule: its kind says what the caller can do about it, the message says why. */
export class DomainFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly details: FailureDetail[] = [],
  ) {
    super(message);
    this.name = 'DomainFailure';
    Object.setPrototypeOf(this, DomainFailure.prototype);
  }
}

/** Whether a value (e.g. a Temporal failure's `type`) names a kind of the vocabulary. */
export const isFailureKind = (value: unknown): value is FailureKind =>
  (FailureKinds as readonly unknown[]).includes(value);

/** Kinds that no retry can fix: an activity failing with one of them is not retried. */
export const PERMANENT_FAILURE_KINDS: FailureKind[] = FailureKinds.filter((k) => k !== 'unavailable');

/** An `invalid` failure whose message lists its fields, as the API's validation errors read. */
export const invalidInput = (details: FailureDetail[]) =>
  new DomainFailure('invalid', details.map((d) => `${d.path}: ${d.message}`).join('; '), details);
