import React from 'react';
import { Badge, Card, Stack, Text } from '@grafana/ui';
import type { Notification } from '../../api/types';
import { QueryContent } from '../../components/QueryContent/QueryContent';
import { AlertLabels, AlertLinks } from '../../components/VigilAlert/VigilAlert';
import { useNotifications } from '../../data/useNotifications';
import { formatAge } from '../../utils/format';

export const NOTIFICATIONS_SHOWN = 20;

/**
 * The notifications Alertmanager delivered to the runner's own receiver (`POST /api/notifications`):
 * proof that an alert made it all the way through routing, without Slack or e-mail.
 */
export function Notifications() {
  const notifications = useNotifications({ limit: NOTIFICATIONS_SHOWN }, { refetchIntervalMs: 30_000 });
  return (
    <section aria-label="Notifications the runner received">
      <Stack direction="column" gap={1}>
        <Text element="h3">Received by the runner</Text>
        <Text color="secondary">
          What Alertmanager sent to the runner&apos;s webhook receiver, newest first (the runner keeps the last 1000).
        </Text>
        <QueryContent
          query={notifications}
          loading="Loading the runner's notifications"
          isEmpty={(page) => page.items.length === 0}
          empty={
            <Text color="secondary">
              None yet. Alertmanager sends here when its route has the runner&apos;s receiver
              (alerting/alertmanager.yml, webhook to /api/notifications with the runner token).
            </Text>
          }
        >
          {(page) => (
            <Stack direction="column" gap={1}>
              {page.items.map((notification) => (
                <NotificationCard key={notification.id} notification={notification} />
              ))}
            </Stack>
          )}
        </QueryContent>
      </Stack>
    </section>
  );
}

function NotificationCard({ notification }: { notification: Notification }) {
  const name = notification.groupLabels.alertname ?? notification.commonLabels.alertname ?? 'alerts';
  return (
    <Card noMargin>
      <Card.Heading>
        {name} · {notification.alerts.length} alert{notification.alerts.length === 1 ? '' : 's'}
      </Card.Heading>
      <Card.Meta>
        {[`received ${formatAge(notification.receivedAt)}`, `receiver ${notification.receiver}`, `#${notification.id}`]}
      </Card.Meta>
      <Card.Tags>
        <Badge color={notification.status === 'firing' ? 'red' : 'green'} text={notification.status} />
      </Card.Tags>
      <Card.Description>
        <Stack direction="column" gap={1}>
          {notification.alerts.map((alert, index) => (
            <Stack key={`${alert.fingerprint}-${index}`} direction="column" gap={0.5}>
              <Text>{alert.annotations.summary ?? alert.labels.alertname}</Text>
              <AlertLabels labels={alert.labels} />
              <AlertLinks alert={alert} />
            </Stack>
          ))}
          {notification.truncatedAlerts > 0 && (
            <Text color="secondary">…and {notification.truncatedAlerts} more alerts not kept.</Text>
          )}
        </Stack>
      </Card.Description>
    </Card>
  );
}
