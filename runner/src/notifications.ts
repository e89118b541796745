/**
 * The alert receiver a newcomer can see: Alertmanager's webhook (payload version 4) posts here,
 * the runner keeps the last notifications, and `vigil alerts`, `vigil drill` and the Grafana app
 * read them back. It needs no Slack or e-mail to show that "a test alert arrived".
 *
 * What is kept is bounded: at most NOTIFICATIONS_KEPT notifications (and none older than the
 * retention), at most ALERTS_KEPT alerts each, every label and annotation cut to VALUE_MAX
 * characters. Alert labels and annotations come from the rules (alerting/), which never carry a
 * secret: targets, probes, steps, reasons and links.
 */
import { z } from 'zod';
import type { Db } from './store/db.ts';

export const NOTIFICATIONS_KEPT = 1000;
export const ALERTS_KEPT = 100;
const VALUE_MAX = 2048;
const LABELS_MAX = 64;

const cut = (text: string) => (text.length > VALUE_MAX ? `${text.slice(0, VALUE_MAX - 1)}…` : text);
const labelMap = z
  .record(z.string().max(256), z.string())
  .default({})
  .transform((labels) =>
    Object.fromEntries(
      Object.entries(labels)
        .slice(0, LABELS_MAX)
        .map(([k, v]) => [k, cut(v)]),
    ),
  );
const status = z.enum(['firing', 'resolved']);

/** Alertmanager's webhook body (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
export const webhookSchema = z.object({
  version: z.string().max(8),
  groupKey: z.string().max(VALUE_MAX).default(''),
  truncatedAlerts: z.int().min(0).default(0),
  status,
  receiver: z.string().min(1).max(256),
  groupLabels: labelMap,
  commonLabels: labelMap,
  commonAnnotations: labelMap,
  externalURL: z.string().max(VALUE_MAX).default(''),
  alerts: z
    .array(
      z.object({
        status,
        labels: labelMap,
        annotations: labelMap,
        startsAt: z.string().max(64),
        endsAt: z.string().max(64).default(''),
        generatorURL: z.string().max(VALUE_MAX).default(''),
        fingerprint: z.string().max(64).default(''),
      }),
    )
    .max(10_000),
});
export type WebhookPayload = z.output<typeof webhookSchema>;
export type ReceivedAlert = WebhookPayload['alerts'][number];

export interface NotificationRecord {
  id: number;
  receivedAt: string;
  receiver: string;
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  /** Alerts Alertmanager did not send (its max_alerts) plus those over ALERTS_KEPT. */
  truncatedAlerts: number;
  alerts: ReceivedAlert[];
}

export interface NotificationFilter {
  limit: number;
  /** Only notifications received after this id (what `vigil drill` polls with). */
  afterId?: number;
  status?: 'firing' | 'resolved';
  alertname?: string;
}

type Row = Record<string, unknown>;

function toRecord(row: Row): NotificationRecord {
  const body = JSON.parse(String(row.body_json)) as Omit<NotificationRecord, 'id' | 'receivedAt' | 'status'>;
  return {
    id: Number(row.id),
    receivedAt: String(row.received_at),
    status: row.status as NotificationRecord['status'],
    receiver: body.receiver,
    groupLabels: body.groupLabels,
    commonLabels: body.commonLabels,
    truncatedAlerts: body.truncatedAlerts,
    alerts: body.alerts,
  };
}

/** The notifications table (migration 4): one row per webhook call, newest last. */
export class NotificationStore {
  constructor(
    private readonly db: Db,
    private readonly kept = NOTIFICATIONS_KEPT,
  ) {}

  add(payload: WebhookPayload, receivedAt = new Date()): NotificationRecord {
    const alerts = payload.alerts.slice(0, ALERTS_KEPT);
    const body = {
      receiver: payload.receiver,
      groupLabels: payload.groupLabels,
      commonLabels: payload.commonLabels,
      truncatedAlerts: payload.truncatedAlerts + (payload.alerts.length - alerts.length),
      alerts,
    };
    const alertnames = [...new Set(alerts.map((a) => a.labels.alertname).filter(Boolean))];
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare('INSERT INTO notifications (received_at, status, alertnames, body_json) VALUES (?, ?, ?, ?)')
        .run(receivedAt.toISOString(), payload.status, `,${alertnames.join(',')},`, JSON.stringify(body));
      this.db
        .prepare('DELETE FROM notifications WHERE id <= (SELECT MAX(id) FROM notifications) - ?')
        .run(this.kept);
      return {
        id: Number(lastInsertRowid),
        receivedAt: receivedAt.toISOString(),
        status: payload.status,
        ...body,
      };
    })();
  }

  /** Newest first. */
  list(filter: NotificationFilter): NotificationRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.afterId !== undefined) {
      where.push('id > ?');
      params.push(filter.afterId);
    }
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (filter.alertname) {
      where.push('instr(alertnames, ?) > 0');
      params.push(`,${filter.alertname},`);
    }
    const sql = `SELECT * FROM notifications ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params, filter.limit) as Row[]).map(toRecord);
  }

  /** The newest id, 0 when none: a caller waiting for what comes next starts after it. */
  latestId(): number {
    const row = this.db.prepare('SELECT MAX(id) AS id FROM notifications').get() as { id: number | null };
    return row.id ?? 0;
  }

  prune(olderThan: Date): number {
    return this.db.prepare('DELETE FROM notifications WHERE received_at < ?').run(olderThan.toISOString())
      .changes;
  }
}
