import type { Role } from './schemas/common';

export const NotificationTypes = [
  'task.opened',
  'task.reminder',
  'task.escalated',
  'task.delegated',
  'pledge.decision',
  'pledge.status',
  'agreement.behind',
  'training.session_short',
  'delivery.milestone',
  'delivery.delayed',
  'delivery.delay_escalated',
] as const;
export type NotificationType = (typeof NotificationTypes)[number];

/** Who should hear of an event: named users and/or everyone holding a role (liaisons of one nation only). */
export interface Recipients {
  usernames?: string[];
  roles?: Role[];
  nation?: string | null;
  /** Holders of the coalition-bound role (reviewers) only of one of these coalitions, when set. */
  coalitions?: string[];
  /** Never these, whatever their role (separation of duties: who may not decide is not asked to). */
  except?: string[];
}

/** An event worth telling people about; `id` is deterministic so publishing twice delivers once. */
export interface NotificationEvent {
  id: string;
  type: NotificationType;
  title: string;
  body: string;
  pledgeId: string | null;
  taskId: string | null;
  recipients: Recipients;
  at: string;
}

/** What every channel shows of an event: the in-app notification, the email and the webhook. */
export type NotificationContent = Pick<NotificationEvent, 'type' | 'title' | 'body' | 'pledgeId' | 'taskId'>;

/** The content of an event or a stored notification, its optional fields made explicit (empty body, null ids). */
export const notificationContent = (n: {
  type: NotificationType;
  title: string;
  body?: string;
  pledgeId?: string | null;
  taskId?: string | null;
}): NotificationContent => ({
  type: n.type,
  title: n.title,
  body: n.body ?? '',
  pledgeId: n.pledgeId ?? null,
  taskId: n.taskId ?? null,
});
