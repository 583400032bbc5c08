import { readableUtc, withReadableMoments } from '../domain/moments';
import type { DeliveryPayload } from '../store/notifications';

/**
 * The plain-text body of a notification e-mail: what happened in words, with times a person can read (UTC, said
 * so), and a link to the task or pledge when the engine knows its public address (PUBLIC_URL). The ids follow for
 * whoever needs to trace it.
 */
export function emailText(p: DeliveryPayload, publicUrl?: string): string {
  const base = publicUrl?.replace(/\/+$/, '');
  const link = base
    ? p.taskId
      ? `Open the task: ${base}/tasks/${encodeURIComponent(p.taskId)}`
      : p.pledgeId
        ? `Open the pledge: ${base}/pledges/${encodeURIComponent(p.pledgeId)}`
        : null
    : null;
  return [
    p.title,
    '',
    withReadableMoments(p.body),
    ...(link ? ['', link] : []),
    '',
    `Sent for an event of ${readableUtc(p.at)}.`,
    // One short line each: mail gateways wrap long lines, and people search their mail for these.
    `Pledge: ${p.pledgeId ?? '-'}`,
    `Task: ${p.taskId ?? '-'}`,
    `Event: ${p.id}`,
  ].join('\n');
}
