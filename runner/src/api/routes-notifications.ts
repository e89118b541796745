import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { webhookSchema } from '../notifications.ts';
import { answers, notificationListResponse, notificationResponse } from './responses.ts';
import { parse, type ApiDeps } from './request.ts';
import { jsonSchema } from './schemas.ts';

const notificationListSchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  afterId: z.coerce.number().int().min(0).optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  alertname: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_:]+$/, 'must be an alert name')
    .optional(),
});

/** The alert receiver (notifications.ts): Alertmanager posts, `vigil alerts` and the app read. */
export function registerNotificationRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const tags = ['notifications'];

  app.post(
    '/api/notifications',
    {
      schema: {
        tags,
        summary:
          "Alertmanager's webhook receiver (payload version 4; Alertmanager sends the runner token with `http_config.authorization.credentials_file`)",
        body: jsonSchema(webhookSchema),
        response: answers({ 201: notificationResponse }),
      },
    },
    async (req, reply) => {
      const payload = parse(webhookSchema, req.body, 'body');
      const record = deps.notifications.add(payload);
      deps.logger.info(
        { notification: record.id, status: record.status, alerts: record.alerts.length },
        'alert notification received',
      );
      return reply.code(201).send(record);
    },
  );

  app.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: 'Notifications received, newest first (`afterId` for the ones after a known id)',
        querystring: jsonSchema(notificationListSchema),
        response: answers({ 200: notificationListResponse }),
      },
    },
    async (req) => {
      const filter = parse(notificationListSchema, req.query, 'query');
      return { items: deps.notifications.list(filter), latestId: deps.notifications.latestId() };
    },
  );
}
