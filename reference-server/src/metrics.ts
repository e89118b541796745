import client, { Histogram, Gauge, Registry } from 'prom-client';
import { TARGET_SERIES } from '@vigil/scenarios/catalog';

/** Buckets from 1 ms to 10 s: covers Redis ops as well as slow simulated upstreams. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10];

export interface TargetMetrics {
  registry: Registry;
  httpDuration: Histogram<'route' | 'method' | 'status'>;
  oauthDuration: Histogram<'endpoint' | 'grant' | 'status'>;
  mcpDuration: Histogram<'method' | 'transport'>;
  redisDuration: Histogram<'operation'>;
  sessionsActive: Gauge<'transport'>;
  streamingConnections: Gauge<'transport'>;
}

export function createMetrics(): TargetMetrics {
  // A registry per server so several targets in one test process do not collide.
  const registry = new Registry();
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: TARGET_SERIES.httpRequestDuration,
      help: 'HTTP request duration by route template, method and status class',
      labelNames: ['route', 'method', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    oauthDuration: new Histogram({
      name: TARGET_SERIES.oauthRequestDuration,
      help: 'Authorization server request duration by endpoint and grant type',
      labelNames: ['endpoint', 'grant', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    mcpDuration: new Histogram({
      name: TARGET_SERIES.mcpRequestDuration,
      help: 'MCP JSON-RPC request handling duration by method and transport',
      labelNames: ['method', 'transport'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    redisDuration: new Histogram({
      name: TARGET_SERIES.redisOperationDuration,
      help: 'Redis operation duration by operation',
      labelNames: ['operation'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers: [registry],
    }),
    sessionsActive: new Gauge({
      name: TARGET_SERIES.mcpSessionsActive,
      help: 'MCP sessions currently held by this process',
      labelNames: ['transport'],
      registers: [registry],
    }),
    streamingConnections: new Gauge({
      name: TARGET_SERIES.streamingConnections,
      help: 'Open streaming connections (SSE streams, WebSockets)',
      labelNames: ['transport'],
      registers: [registry],
    }),
  };
}

export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

/** Route templates for the HTTP histogram: never raw URLs (cardinality, and codes ride in queries). */
const ROUTE_PATTERNS: Array<[RegExp, string]> = [
  [/^\/mcp\/ws$/, '/mcp/ws'],
  [/^\/mcp$/, '/mcp'],
  [/^\/sse$/, '/sse'],
  [/^\/messages$/, '/messages'],
  [/^\/\.well-known\/oauth-protected-resource(\/.*)?$/, '/.well-known/oauth-protected-resource'],
  [/^\/\.well-known\/oauth-authorization-server(\/.*)?$/, '/.well-known/oauth-authorization-server'],
  [/\/\.well-known\/openid-configuration(\/.*)?$/, '/.well-known/openid-configuration'],
  [/\/authorize\/[^/]+$/, '/authorize/:uid'],
  [/\/authorize$/, '/authorize'],
  [/\/token$/, '/token'],
  [/\/register\/[^/]+$/, '/register/:client_id'],
  [/\/register$/, '/register'],
  [/\/revoke$/, '/revoke'],
  [/\/jwks$/, '/jwks'],
  [/\/interaction\/[^/]+\/login$/, '/interaction/:uid/login'],
  [/\/interaction\/[^/]+$/, '/interaction/:uid'],
  [/^\/admin\/faults(\/.*)?$/, '/admin/faults'],
  [/^\/(metrics|healthz|readyz)$/, '/$1'],
  [/^\/prm-custom$/, '/prm-custom'],
];

export function routeTemplate(path: string): string {
  for (const [pattern, template] of ROUTE_PATTERNS) {
    const match = pattern.exec(path);
    if (match) return template.replace('$1', match[1] ?? '');
  }
  return 'other';
}
