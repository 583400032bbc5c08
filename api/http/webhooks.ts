import { z } from 'zod';
import { NotificationTypes, type NotificationType } from '../../domain/notifications';
import type { DeliveryPayload } from '../../store/notifications';

/** The body of every webhook the engine sends (`jobs/delivery-processor.ts` serialises exactly these fields). */
export const WebhookEvent = z
  .object({
    id: z.string().describe('The event id: the same event is never announced under two ids'),
    type: z.enum(NotificationTypes),
    title: z.string(),
    body: z.string(),
    pledgeId: z.string().nullable(),
    taskId: z.string().nullable(),
    at: z.iso.datetime().describe('When the event happened (UTC)'),
  })
  .meta({ id: 'WebhookEvent', description: 'An event announced to a webhook subscriber' });

// The document must describe what is sent: these fail to compile when the payload and the schema drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const webhookSchemaMatchesPayload: Same<z.infer<typeof WebhookEvent>, DeliveryPayload> = true;

/** What each event announces. */
export const webhookEvents: Record<NotificationType, string> = {
  'task.opened': 'A human task opened (a review, a plan to confirm, an approval step, a revision)',
  'task.reminder': 'An open task is close to or past its due time',
  'task.escalated': 'An overdue task was escalated (e.g. commander to deputy)',
  'task.delegated': 'A task was handed to another user',
  'pledge.decision': 'A decision was taken on a pledge (review, plan, approval step)',
  'pledge.status': 'A pledge changed status',
  'agreement.behind':
    'A bilateral security agreement is behind its commitment for the year at mid-year (once per agreement and year)',
  'training.session_short':
    'A training session reached its cutoff below its minimum cohort: its reserved trainees are moved (once per session)',
  'delivery.milestone':
    'A delivery lot reached its next milestone (prepared, shipped, at hub, handed over, received)',
  'delivery.delayed':
    'A delivery lot is late: not received after its planned day, or handed over after its window (once per plan)',
  'delivery.delay_escalated': 'A delivery delay stayed open past the policy’s time and was escalated',
};

interface HeaderDoc {
  description: string;
  schema: { type: 'string'; enum?: string[]; pattern?: string };
}

/** The headers of every webhook request, by name: what each says and its form. */
export const webhookHeaders: Record<string, HeaderDoc> = {
  'X-NSATU-Event': {
    description: 'The event type (the body’s `type`)',
    schema: { type: 'string', enum: [...NotificationTypes] },
  },
  'X-NSATU-Delivery': {
    description:
      'The delivery id: the same on every retry of one delivery, so a receiver can ignore one it already handled',
    schema: { type: 'string' },
  },
  'X-NSATU-Timestamp': {
    description: 'Unix time in seconds when this attempt was sent; part of the signed text',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  'X-NSATU-Signature': {
    description:
      '`sha256=` and the lowercase hex HMAC-SHA256, keyed with the subscription’s secret, of ' +
      '`<X-NSATU-Timestamp>.<raw body>`',
    schema: { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' },
  },
};

export const webhookDescription = `Signed with the subscription's secret (returned once by \`POST /api/v1/admin/webhooks\`).

**Verifying.** Read the raw body before parsing it. Compute HMAC-SHA256 with the secret over the text
\`<X-NSATU-Timestamp>.<raw body>\` and compare \`sha256=<hex digest>\` with \`X-NSATU-Signature\` in constant time.
Refuse the request when they differ, and when the timestamp is more than five minutes away from your clock (a replay).

**Retries.** Answer any 2xx within \`WEBHOOK_TIMEOUT_MS\` (default 5 s) to acknowledge. Anything else — another status,
a timeout, a refused connection, a redirect (never followed) — fails the attempt, and the delivery is tried again with
exponential backoff: \`DELIVERY_ATTEMPTS\` attempts in all (default 8), the n-th retry after
\`DELIVERY_BACKOFF_MS × 2^(n−1)\` (default 1 s, 2 s, 4 s … about two minutes in all). A delivery that failed every
attempt is listed by \`GET /api/v1/admin/deliveries\` and can be sent again by an administrator. Deliveries are
at least once: deduplicate by \`X-NSATU-Delivery\`.`;
