import express, { type Router } from 'express';

export const FAULT_PATHS = ['authorize', 'token', 'refresh', 'tool_call'] as const;
export type FaultPath = (typeof FAULT_PATHS)[number];

/** The JSON-RPC error message of an injected tool_call failure, on every transport. */
export const INJECTED_TOOL_FAULT_MESSAGE = 'temporarily unavailable (injected fault)';

export interface Fault {
  path: FaultPath;
  latencyMs: number;
  errorRate: number;
  status: number;
}

/** What an injected fault decided for one request: wait this long, then maybe fail with this status. */
export interface FaultOutcome {
  delayMs: number;
  failStatus?: number;
}

export class FaultRegistry {
  private readonly faults = new Map<FaultPath, Fault>();

  set(fault: Fault) {
    this.faults.set(fault.path, fault);
  }
  list(): Fault[] {
    return [...this.faults.values()];
  }
  clear(path?: FaultPath) {
    if (path) this.faults.delete(path);
    else this.faults.clear();
  }
  /** Applies the fault on `path` (if any): sleeps, then says whether the request must fail. */
  async apply(path: FaultPath): Promise<FaultOutcome> {
    const fault = this.faults.get(path);
    if (!fault) return { delayMs: 0 };
    if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    const fails = fault.errorRate > 0 && Math.random() < fault.errorRate;
    return { delayMs: fault.latencyMs, failStatus: fails ? fault.status : undefined };
  }
}

function isFaultPath(value: unknown): value is FaultPath {
  return typeof value === 'string' && (FAULT_PATHS as readonly string[]).includes(value);
}

export function parseFault(body: unknown): Fault | string {
  if (!body || typeof body !== 'object') return 'body must be a JSON object';
  const input = body as Record<string, unknown>;
  if (!isFaultPath(input.path)) return `path must be one of ${FAULT_PATHS.join(', ')}`;
  const latencyMs = input.latencyMs ?? 0;
  if (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0 || latencyMs > 60_000) {
    return 'latencyMs must be a number within 0..60000';
  }
  const errorRate = input.errorRate ?? 0;
  if (typeof errorRate !== 'number' || errorRate < 0 || errorRate > 1)
    return 'errorRate must be a number within 0..1';
  const status = input.status ?? 503;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
    return 'status must be an integer HTTP error status within 400..599';
  }
  return { path: input.path, latencyMs, errorRate, status };
}

/** The admin API (bearer-token guarded): POST/GET/DELETE /admin/faults, DELETE /admin/faults/<path>. */
export function faultAdminRouter(faults: FaultRegistry, adminToken: string): Router {
  const router = express.Router();
  router.use('/admin', (req, res, next) => {
    if (req.headers.authorization !== `Bearer ${adminToken}`) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer realm="vigil-admin"')
        .json({ error: 'admin token required' });
      return;
    }
    next();
  });
  router.get('/admin/faults', (_req, res) => {
    res.json({ faults: faults.list() });
  });
  router.post('/admin/faults', express.json({ limit: '16kb' }), (req, res) => {
    const fault = parseFault(req.body);
    if (typeof fault === 'string') {
      res.status(400).json({ error: 'invalid_fault', error_description: fault });
      return;
    }
    faults.set(fault);
    res.status(201).json(fault);
  });
  router.delete('/admin/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  router.delete('/admin/faults/:path', (req, res) => {
    const { path } = req.params;
    if (!isFaultPath(path)) {
      res.status(404).json({
        error: 'unknown_fault_path',
        error_description: `path must be one of ${FAULT_PATHS.join(', ')}`,
      });
      return;
    }
    faults.clear(path);
    res.status(204).end();
  });
  return router;
}
