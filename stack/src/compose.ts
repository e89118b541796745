/** What docker-compose.yml needs generated: Alertmanager's config with the compose addresses. */
import path from 'node:path';
import { REPO_DIR } from './paths.ts';
import { renderAlertmanagerConfig } from './render.ts';

export const COMPOSE_FILE = path.join(REPO_DIR, 'docker-compose.yml');
export const COMPOSE_ALERTMANAGER_CONFIG = path.join(REPO_DIR, 'stack', 'compose', 'alertmanager.yml');

export function composeAlertmanagerConfig(): string {
  return renderAlertmanagerConfig({
    receiverUrl: 'http://runner:8090/api/notifications',
    tokenFile: '/etc/alertmanager/secrets/runner-token',
    templatesGlob: '/etc/alertmanager/templates/*.tmpl',
  });
}
