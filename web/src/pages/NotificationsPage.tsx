import { useState } from 'react';
import { NotificationList } from '../components/Notifications';
import { PageTitle, Section } from '../components/common';
import { useLayoutContext } from '../components/Layout';

/** Every notification of the caller, grouped by pledge, with "mark all read". */
export function NotificationsPage() {
  const { reloadNotifications } = useLayoutContext();
  const [unreadOnly, setUnreadOnly] = useState(false);
  return (
    <>
      <PageTitle>Notifications</PageTitle>
      <Section
        id="all-notifications"
        title="By pledge"
        actions={
          <label className="checks">
            <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />{' '}
            Unread only
          </label>
        }
      >
        <NotificationList compact={false} unreadOnly={unreadOnly} onChanged={reloadNotifications} />
      </Section>
    </>
  );
}
