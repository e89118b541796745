/**
 * The API's OpenAPI document without a running service: a runner on an in-memory store composes the
 * same routes (`vigil openapi`, runner/openapi.json, the Grafana app's generated client types).
 */
import pino from 'pino';
import { createRunner } from '../app.ts';
import { configFromEnv } from '../config.ts';

export async function openApiDocument(): Promise<Record<string, unknown>> {
  const config = { ...configFromEnv({ VIGIL_TOKEN: 'openapi-document-only' }), dbPath: ':memory:' };
  const runner = await createRunner(config, { logger: pino({ level: 'silent' }) });
  try {
    await runner.app.ready();
    return runner.app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await runner.close();
  }
}
