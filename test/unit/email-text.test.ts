import { describe, expect, it } from 'vitest';
import { emailText } from '../../jobs/email-text';

const reminder = {
  id: 'evt-1',
  type: 'task.reminder' as const,
  title: 'Reminder: review FRA · 6 × Mirage 2000-5F · €450m',
  body: 'compatibility review; due 2026-12-02T00:52:21.149Z',
  pledgeId: 'PL1',
  taskId: 'PL1-review-1',
  at: '2026-11-30T14:05:00.000Z',
};

describe('the e-mail a person receives', () => {
  it('when a task reminder is mailed, then its times read as UTC dates and no ISO timestamp is left', () => {
    const text = emailText(reminder);
    expect(text).toContain('due Wed, 2 Dec 2026, 00:52 UTC');
    expect(text).toContain('Sent for an event of Mon, 30 Nov 2026, 14:05 UTC.');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(text.split('\n')[0]).toBe(reminder.title);
    expect(text.split('\n').slice(-3)).toEqual(['Pledge: PL1', 'Task: PL1-review-1', 'Event: evt-1']);
  });

  it('when the engine knows its public address, then the mail links to the task, else to the pledge', () => {
    expect(emailText(reminder, 'https://nsatu.example/')).toContain(
      'Open the task: https://nsatu.example/tasks/PL1-review-1',
    );
    expect(emailText({ ...reminder, taskId: null }, 'https://nsatu.example')).toContain(
      'Open the pledge: https://nsatu.example/pledges/PL1',
    );
    expect(emailText(reminder)).not.toContain('Open the');
  });
});
