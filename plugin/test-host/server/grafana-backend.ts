/**
 * TEST DOUBLE of the parts of Grafana's backend an app plugin's frontend talks to. Pure
 * functions, no I/O: the plugin proxy's route matching, template rendering and access checks,
 * the user's `X-Grafana-Context`, and the plugin settings DTO. `server/host.ts` wires them to HTTP.
 *
 * Each function says which Grafana code it follows (pkg/api/pluginproxy, pkg/web/tree.go,
 * pkg/api/plugins.go). What a function does not support it refuses with an error naming the
 * input, so a route table the double cannot honour fails the test instead of behaving differently.
 */

export type OrgRole = 'Viewer' | 'Editor' | 'Admin';

/** One entry of plugin.json `routes` (the fields Grafana's app plugin proxy reads). */
export interface PluginRoute {
  path: string;
  method?: string;
  url?: string;
  reqRole?: OrgRole | 'None';
  reqAction?: string;
  headers?: Array<{ name: string; content: string }>;
  body?: unknown;
  /** Grafana reads these for datasource proxies; an app route with them is refused below. */
  urlParams?: unknown;
  tokenAuth?: unknown;
  jwtTokenAuth?: unknown;
}

/** plugin.json `roles` (RBAC roles an app declares and grants to basic roles). */
export interface PluginRoleRegistration {
  role: { name: string; description?: string; permissions?: Array<{ action: string; scope?: string }> };
  grants?: string[];
}

export interface TemplateData {
  JsonData: Record<string, unknown>;
  SecureJsonData: Record<string, string>;
  /** Only set for datasource routes in Grafana; always '' for app routes. */
  URL?: string;
}

export interface TestUser {
  id: number;
  uid: string;
  login: string;
  name: string;
  email: string;
  orgId: number;
  orgName: string;
  orgRole: OrgRole;
  isGrafanaAdmin: boolean;
}

const ROLE_RANK: Record<string, number> = { None: 0, Viewer: 1, Editor: 2, Admin: 3 };

/** `org.RoleType.Includes`: Admin ⊇ Editor ⊇ Viewer; None includes only None. */
export function roleIncludes(userRole: OrgRole, required: string): boolean {
  if (!(required in ROLE_RANK)) {
    throw new Error(`test host: unknown role "${required}" (Grafana knows Viewer, Editor, Admin, None)`);
  }
  if (required === 'None') {
    return true;
  }
  return ROLE_RANK[userRole] >= ROLE_RANK[required];
}

/**
 * Matches a proxy path against one route `path` the way Grafana's macaron tree does
 * (pkg/web/tree.go, used by pkg/api/pluginproxy HandleRequest): segments are static or `:name`
 * (one segment), and a final `*` takes the rest (at least one segment). Leading and trailing
 * slashes of the request path are ignored. Returns the params, `*` holding the rest, or null.
 * Regexp segments (`:id(\d+)`, `:int`, `*.*`) are refused.
 */
export function matchRoutePath(pattern: string, proxyPath: string): Record<string, string> | null {
  const patternSegments = pattern.replace(/^\/+/, '').replace(/\/+$/, '').split('/');
  let requestPath = proxyPath.replace(/^\/+/, '').replace(/\/+$/, '');
  try {
    requestPath = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  const requestSegments = requestPath.split('/');
  const params: Record<string, string> = {};
  for (let i = 0; i < patternSegments.length; i++) {
    const segment = patternSegments[i];
    if (/[()]|:int\b|:string\b|\*\./.test(segment) || (segment.includes('*') && segment !== '*')) {
      throw new Error(`test host: unsupported route path pattern "${pattern}" (static, :name and a final * only)`);
    }
    if (segment === '*') {
      if (i !== patternSegments.length - 1) {
        throw new Error(`test host: unsupported route path pattern "${pattern}" (* must be the last segment)`);
      }
      const rest = requestSegments.slice(i).join('/');
      // The tree needs a leaf for the wildcard: "api/*" does not match "api" (nor "api/").
      if (i >= requestSegments.length) {
        return null;
      }
      params['*'] = rest;
      return params;
    }
    const value = requestSegments[i];
    if (value === undefined) {
      return null;
    }
    if (segment.startsWith(':')) {
      if (value === '') {
        return null;
      }
      params[segment] = value;
    } else if (segment !== value) {
      return null;
    }
  }
  return requestSegments.length === patternSegments.length ? params : null;
}

export type RouteDecision =
  | { kind: 'matched'; route: PluginRoute; proxyPath: string }
  | { kind: 'denied'; route: PluginRoute }
  | { kind: 'not-found' };

/**
 * pkg/api/pluginproxy `HandleRequest`: the first route whose method fits (empty or `*` = any) and
 * whose path matches wins; if the user may not use it the answer is 403, with no fallthrough to
 * later routes. The proxy path becomes the `*` part (or '' without a wildcard).
 */
export function selectRoute(
  routes: PluginRoute[],
  method: string,
  proxyPath: string,
  canAccess: (route: PluginRoute) => boolean
): RouteDecision {
  for (const route of routes) {
    if (route.method && route.method !== '*' && route.method.toUpperCase() !== method.toUpperCase()) {
      continue;
    }
    const params = matchRoutePath(route.path, proxyPath);
    if (!params) {
      continue;
    }
    if (!canAccess(route)) {
      return { kind: 'denied', route };
    }
    return { kind: 'matched', route, proxyPath: params['*'] ?? '' };
  }
  return { kind: 'not-found' };
}

/**
 * `hasAccessToRoute`: `reqAction` (RBAC) takes precedence over `reqRole`; neither = allowed.
 * RBAC is emulated from plugin.json `roles`: the user holds an action when a role granting it is
 * granted to a basic role the user's role includes. Grafana's fixed app actions
 * (`plugins.app:access` for every basic role) are built in.
 */
export function hasAccessToRoute(route: PluginRoute, user: TestUser, roles: PluginRoleRegistration[] = []): boolean {
  if (route.reqAction) {
    return userActions(user, roles).has(route.reqAction);
  }
  if (route.reqRole) {
    return roleIncludes(user.orgRole, route.reqRole);
  }
  return true;
}

export function userActions(user: TestUser, roles: PluginRoleRegistration[]): Set<string> {
  const actions = new Set<string>(['plugins.app:access', 'plugins:read']);
  if (roleIncludes(user.orgRole, 'Admin')) {
    actions.add('plugins:write');
  }
  for (const registration of roles) {
    const granted = (registration.grants ?? []).some((grant) =>
      grant === 'Grafana Admin' ? user.isGrafanaAdmin : roleIncludes(user.orgRole, grant)
    );
    if (granted) {
      for (const permission of registration.role.permissions ?? []) {
        actions.add(permission.action);
      }
    }
  }
  return actions;
}

/**
 * Renders a route template the way Go's text/template does for the templates plugins write:
 * `{{ .JsonData.key }}`, `{{ .SecureJsonData.key }}`, `{{ .URL }}`, nested keys
 * (`.JsonData.a.b`), and the `orEmpty` function Grafana registers (`{{ .JsonData.x | orEmpty }}`).
 * A missing key renders `<no value>`, as Go does with maps. Any other action (if, range, with,
 * other functions) is refused.
 */
export function renderTemplate(template: string, data: TemplateData): string {
  return template.replace(/\{\{-?\s*([\s\S]*?)\s*-?\}\}/g, (_whole, action: string) => {
    const pipeline = action.split('|').map((part) => part.trim());
    const [head, ...fns] = pipeline;
    let value = evaluateField(head, data, template);
    for (const fn of fns) {
      if (fn !== 'orEmpty') {
        throw new Error(`test host: unsupported template function "${fn}" in "${template}" (only orEmpty)`);
      }
      value = value === undefined || value === null ? '' : value;
    }
    return goPrint(value);
  });
}

function evaluateField(expression: string, data: TemplateData, template: string): unknown {
  const orEmptyCall = /^orEmpty\s+(\.[\w.]+)$/.exec(expression);
  if (orEmptyCall) {
    const value = evaluateField(orEmptyCall[1], data, template);
    return value === undefined || value === null ? '' : value;
  }
  if (!/^\.[A-Za-z_][\w]*(\.[\w-]+)*$/.test(expression)) {
    throw new Error(`test host: unsupported template action "{{ ${expression} }}" in "${template}"`);
  }
  const [root, ...keys] = expression.slice(1).split('.');
  if (root !== 'JsonData' && root !== 'SecureJsonData' && root !== 'URL') {
    throw new Error(`test host: template field ".${root}" does not exist in Grafana's route data ("${template}")`);
  }
  let value: unknown = root === 'URL' ? (data.URL ?? '') : data[root];
  for (const key of keys) {
    if (value === null || value === undefined || typeof value !== 'object') {
      // Go: indexing a missing map entry yields the zero value; a further field of it fails.
      if (value === undefined) {
        return undefined;
      }
      throw new Error(`test host: template "${template}" reads .${key} of a non-object`);
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** fmt's default formatting of the JSON values a template can reach. */
function goPrint(value: unknown): string {
  if (value === undefined) {
    return '<no value>';
  }
  if (value === null) {
    return '<nil>';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(goPrint).join(' ')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  return `map[${entries.map(([k, v]) => `${k}:${goPrint(v)}`).join(' ')}]`;
}

/** util.JoinURLFragments. */
export function joinUrlFragments(a: string, b: string): string {
  if (b.length === 0) {
    return a;
  }
  const aSlash = a.endsWith('/');
  const bSlash = b.startsWith('/');
  if (aSlash && bSlash) {
    return a + b.slice(1);
  }
  if (!aSlash && !bSlash) {
    return `${a}/${b}`;
  }
  return a + b;
}

/** The upstream request the plugin proxy's `director` builds for a matched route. */
export interface UpstreamRequest {
  url: URL;
  /** Headers to set (after the incoming ones were filtered). */
  setHeaders: Record<string, string>;
  /** Replaces the request body when the route has `body`. */
  body?: string;
}

/**
 * pkg/api/pluginproxy `director`: the route `url` rendered with the settings is the target; its
 * path joined with the proxy path is the path; the incoming query string is kept (the route URL's
 * own query is dropped, as Go's ReverseProxy director does); `X-Grafana-Context` carries the
 * user; the route `headers` are rendered and set; a route `body` replaces the body.
 */
export function buildUpstreamRequest(
  route: PluginRoute,
  proxyPath: string,
  incomingQuery: string,
  data: TemplateData,
  user: TestUser
): UpstreamRequest {
  for (const unsupported of ['urlParams', 'tokenAuth', 'jwtTokenAuth'] as const) {
    if (route[unsupported] !== undefined) {
      throw new Error(`test host: route "${route.path}" uses ${unsupported}, which the test host does not emulate`);
    }
  }
  if (!route.url) {
    throw new Error(`test host: route "${route.path}" has no url`);
  }
  const rendered = renderTemplate(route.url, data);
  let target: URL;
  try {
    target = new URL(rendered);
  } catch {
    throw new Error(`test host: route "${route.path}" url renders to "${rendered}", which is not a URL`);
  }
  const url = new URL(target.origin);
  url.pathname = joinUrlFragments(target.pathname, proxyPath);
  url.search = incomingQuery;
  const setHeaders: Record<string, string> = { 'X-Grafana-Context': grafanaContextHeader(user) };
  for (const header of route.headers ?? []) {
    setHeaders[header.name] = renderTemplate(header.content, data);
  }
  const body = route.body === undefined ? undefined : renderTemplate(JSON.stringify(route.body), data);
  return { url, setHeaders, body };
}

/**
 * `json.Marshal(signedInUser)`: Go field names, no JSON tags (the runner reads Login and UserID,
 * runner/src/api/grafana-context.ts).
 */
export function grafanaContextHeader(user: TestUser): string {
  return JSON.stringify({
    UserID: user.id,
    UserUID: user.uid,
    OrgID: user.orgId,
    OrgName: user.orgName,
    OrgRole: user.orgRole,
    Login: user.login,
    Name: user.name,
    Email: user.email,
    AuthenticatedBy: 'password',
    IsGrafanaAdmin: user.isGrafanaAdmin,
    IsAnonymous: false,
    IsDisabled: false,
    IsServiceAccount: false,
    HelpFlags1: 0,
    Teams: [],
  });
}

/** Request headers the proxy never forwards: hop-by-hop ones, and what Grafana clears. */
export const STRIPPED_REQUEST_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'cookie',
  'set-cookie',
  'origin',
  'referer',
  'x-grafana-context',
  'content-length',
]);

/** Response headers never passed back (proxyutil's modifyResponse drops Set-Cookie). */
export const STRIPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'set-cookie',
  'content-length',
]);

export interface PluginSettingsState {
  enabled: boolean;
  pinned: boolean;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

/**
 * `GET /api/plugins/:id/settings` (dtos.PluginSetting): plugin.json's meta plus the stored
 * settings, with `secureJsonFields` (which keys are set) and never `secureJsonData`.
 */
export function pluginSettingsDto(pluginJson: Record<string, unknown>, state: PluginSettingsState) {
  const id = String(pluginJson.id);
  const includes = (pluginJson.includes as Array<Record<string, unknown>> | undefined) ?? [];
  const defaultNav = includes.find((include) => include.type === 'page' && include.defaultNav);
  return {
    name: pluginJson.name,
    type: pluginJson.type,
    id,
    enabled: state.enabled,
    pinned: state.pinned,
    autoEnabled: Boolean(pluginJson.autoEnabled),
    module: `public/plugins/${id}/module.js`,
    baseUrl: `public/plugins/${id}`,
    info: pluginJson.info,
    includes,
    dependencies: pluginJson.dependencies,
    jsonData: state.jsonData,
    secureJsonFields: Object.fromEntries(Object.keys(state.secureJsonData).map((key) => [key, true])),
    defaultNavUrl: typeof defaultNav?.path === 'string' ? defaultNav.path : `/plugins/${id}/`,
    latestVersion: '',
    hasUpdate: false,
    state: pluginJson.state ?? '',
    signature: 'unsigned',
    signatureType: '',
    signatureOrg: '',
    angularDetected: false,
    loadingStrategy: 'script',
    extensions: pluginJson.extensions ?? {
      addedLinks: [],
      addedComponents: [],
      addedFunctions: [],
      exposedComponents: [],
      extensionPoints: [],
    },
  };
}

/**
 * `POST /api/plugins/:id/settings` (UpdatePluginSetting): `jsonData` replaces the stored one
 * (absent = emptied, as in Grafana); `secureJsonData` keys are set, the others kept.
 */
export function applySettingsUpdate(state: PluginSettingsState, body: unknown): PluginSettingsState {
  const update = (body ?? {}) as Record<string, unknown>;
  const secureUpdate = (update.secureJsonData ?? {}) as Record<string, unknown>;
  const secureJsonData = { ...state.secureJsonData };
  for (const [key, value] of Object.entries(secureUpdate)) {
    secureJsonData[key] = String(value ?? '');
  }
  return {
    enabled: typeof update.enabled === 'boolean' ? update.enabled : state.enabled,
    pinned: typeof update.pinned === 'boolean' ? update.pinned : state.pinned,
    jsonData: (update.jsonData as Record<string, unknown> | undefined) ?? {},
    secureJsonData,
  };
}

/**
 * The externals a webpack AMD build asks for: the dependency array of `define([...], factory)`
 * at the head of module.js (the banner comments before it skipped).
 */
export function amdExternals(moduleSource: string): string[] {
  const match = /define\(\s*(\[[^\]]*\])/.exec(moduleSource);
  if (!match) {
    throw new Error('test host: module.js does not start with define([...]): not an AMD build');
  }
  return JSON.parse(match[1]) as string[];
}
