import { PLUGIN_BASE_URL, ROUTES } from '../constants';

/** The absolute path of an app page: `prefixRoute(ROUTES.Probes, id)` → `/a/vigil-mcp-app/probes/<id>`. */
export function prefixRoute(route: ROUTES | string, ...rest: string[]): string {
  return [PLUGIN_BASE_URL, route, ...rest.map(encodeURIComponent)].join('/');
}
