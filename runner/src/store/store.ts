/**
 * Repositories over the SQLite store. Rows are mapped to camelCase records here and nowhere else.
 */
import { randomBytes } from 'node:crypto';
import { openDb, type Db } from './db.ts';
import type {
  CreatedBy,
  ProbeRecord,
  ProbeResultRecord,
  RunEvent,
  RunRecord,
  RunStatus,
  SecretField,
  TargetAuth,
  TargetRecord,
} from './types.ts';

import type { StepResult, VigilSummary } from '@vigil/scenarios/catalog';

type Row = Record<string, unknown>;

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

const json = <T>(text: unknown, fallback: T): T =>
  typeof text === 'string' ? (JSON.parse(text) as T) : fallback;
const now = () => new Date().toISOString();

function toTarget(row: Row): TargetRecord {
  const auth = json<TargetAuth & { secretFields?: SecretField[] }>(row.auth_json, {});
  const { secretFields = [], ...shown } = auth;
  return {
    id: String(row.id),
    name: String(row.name),
    mcpUrl: String(row.mcp_url),
    auth: shown,
    sealedSecrets: (row.sealed_secrets as string | null) ?? null,
    secretFields,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

function toRun(row: Row): RunRecord {
  return {
    id: String(row.id),
    seq: Number(row.seq),
    kind: row.kind as RunRecord['kind'],
    scenario: String(row.scenario),
    targetId: (row.target_id as string | null) ?? null,
    targetName: String(row.target_name),
    targetUrl: String(row.target_url),
    profile: String(row.profile),
    overrides: json(row.overrides_json, {}),
    engine: row.engine as RunRecord['engine'],
    status: row.status as RunStatus,
    progress: (row.progress as number | null) ?? null,
    exitCode: (row.exit_code as number | null) ?? null,
    thresholds: json(row.thresholds_json, null),
    summary: json(row.summary_json, null),
    metricsDelivered: row.metrics_delivered === null ? null : row.metrics_delivered === 1,
    error: (row.error as string | null) ?? null,
    createdBy: json<CreatedBy | null>(row.created_by_json, null),
    baseline: row.baseline === 1,
    pgid: (row.pgid as number | null) ?? null,
    probeId: (row.probe_id as string | null) ?? null,
    createdAt: String(row.created_at),
    startedAt: (row.started_at as string | null) ?? null,
    finishedAt: (row.finished_at as string | null) ?? null,
  };
}

function toProbe(row: Row): ProbeRecord {
  return {
    id: String(row.id),
    name: String(row.name),
    targetId: String(row.target_id),
    intervalSeconds: Number(row.interval_seconds),
    timeoutSeconds: Number(row.timeout_seconds),
    enabled: row.enabled === 1,
    strict: (row.strict as ProbeRecord['strict'] | undefined) ?? 'off',
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

function toProbeResult(row: Row): ProbeResultRecord {
  return {
    id: Number(row.id),
    probeId: String(row.probe_id),
    runId: (row.run_id as string | null) ?? null,
    at: String(row.at),
    ok: row.ok === 1,
    status: String(row.status),
    durationMs: Number(row.duration_ms),
    failedStep: (row.failed_step as string | null) ?? null,
    steps: json(row.steps_json, []),
    toolsHash: (row.tools_hash as string | null) ?? null,
    tokenExpiresInSeconds: (row.token_expires_in as number | null) ?? null,
    runnerError: json(row.runner_error_json, null),
    findings: json(row.findings_json, []),
  };
}

export interface RunFilter {
  scenario?: string;
  targetId?: string;
  status?: RunStatus;
  kind?: 'load' | 'probe';
  /** Return runs with seq below this (the cursor). */
  beforeSeq?: number;
  limit: number;
}

export type NewRun = Omit<
  RunRecord,
  | 'seq'
  | 'status'
  | 'progress'
  | 'exitCode'
  | 'thresholds'
  | 'summary'
  | 'metricsDelivered'
  | 'error'
  | 'baseline'
  | 'pgid'
  | 'createdAt'
  | 'startedAt'
  | 'finishedAt'
>;

const RUN_COLUMNS: Partial<Record<keyof RunRecord, string>> = {
  status: 'status',
  progress: 'progress',
  exitCode: 'exit_code',
  thresholds: 'thresholds_json',
  summary: 'summary_json',
  metricsDelivered: 'metrics_delivered',
  error: 'error',
  pgid: 'pgid',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
};

function columnValue(key: keyof RunRecord, value: unknown): unknown {
  if (key === 'thresholds' || key === 'summary') return value === null ? null : JSON.stringify(value);
  if (key === 'metricsDelivered') return value === null ? null : value ? 1 : 0;
  return value;
}

export class Store {
  readonly db: Db;

  constructor(path: string) {
    this.db = openDb(path);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** The first row a query returns, as a record; undefined when there is none. */
  private one<T>(sql: string, toRecord: (row: Row) => T, ...params: unknown[]): T | undefined {
    const row = this.db.prepare(sql).get(...params) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  // --- targets
  insertTarget(t: Omit<TargetRecord, 'createdAt' | 'updatedAt'>): TargetRecord {
    const at = now();
    this.db
      .prepare(
        'INSERT INTO targets (id, name, mcp_url, auth_json, sealed_secrets, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        t.id,
        t.name,
        t.mcpUrl,
        JSON.stringify({ ...t.auth, secretFields: t.secretFields }),
        t.sealedSecrets,
        at,
        at,
      );
    return this.getTarget(t.id)!;
  }

  updateTarget(t: TargetRecord): TargetRecord {
    this.db
      .prepare(
        'UPDATE targets SET name = ?, mcp_url = ?, auth_json = ?, sealed_secrets = ?, updated_at = ? WHERE id = ?',
      )
      .run(
        t.name,
        t.mcpUrl,
        JSON.stringify({ ...t.auth, secretFields: t.secretFields }),
        t.sealedSecrets,
        now(),
        t.id,
      );
    return this.getTarget(t.id)!;
  }

  getTarget(id: string): TargetRecord | undefined {
    return this.one('SELECT * FROM targets WHERE id = ?', toTarget, id);
  }

  targetByName(name: string): TargetRecord | undefined {
    return this.one('SELECT * FROM targets WHERE name = ?', toTarget, name);
  }

  listTargets(limit: number, offset: number): { items: TargetRecord[]; total: number } {
    const rows = this.db
      .prepare('SELECT * FROM targets ORDER BY created_at, id LIMIT ? OFFSET ?')
      .all(limit, offset) as Row[];
    const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM targets').get() as { n: number };
    return { items: rows.map(toTarget), total: n };
  }

  deleteTarget(id: string): boolean {
    return this.db.prepare('DELETE FROM targets WHERE id = ?').run(id).changes > 0;
  }

  // --- runs
  insertRun(run: NewRun): RunRecord {
    this.db
      .prepare(
        `INSERT INTO runs (id, kind, scenario, target_id, target_name, target_url, profile, overrides_json, engine, status,
          created_by_json, probe_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
      )
      .run(
        run.id,
        run.kind,
        run.scenario,
        run.targetId,
        run.targetName,
        run.targetUrl,
        run.profile,
        JSON.stringify(run.overrides),
        run.engine,
        run.createdBy ? JSON.stringify(run.createdBy) : null,
        run.probeId,
        now(),
      );
    return this.getRun(run.id)!;
  }

  updateRun(id: string, patch: Partial<RunRecord>): RunRecord | undefined {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [key, value] of Object.entries(patch) as Array<[keyof RunRecord, unknown]>) {
      const column = RUN_COLUMNS[key];
      if (!column || value === undefined) continue;
      sets.push(`${column} = ?`);
      values.push(columnValue(key, value));
    }
    if (sets.length > 0)
      this.db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
    return this.getRun(id);
  }

  getRun(id: string): RunRecord | undefined {
    return this.one('SELECT * FROM runs WHERE id = ?', toRun, id);
  }

  listRuns(filter: RunFilter): RunRecord[] {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      values.push(value);
    };
    if (filter.scenario) add('scenario = ?', filter.scenario);
    if (filter.targetId) add('target_id = ?', filter.targetId);
    if (filter.status) add('status = ?', filter.status);
    if (filter.kind) add('kind = ?', filter.kind);
    if (filter.beforeSeq !== undefined) add('seq < ?', filter.beforeSeq);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // Listing skips the summary blob: the summary comes back reduced to the probe steps the list view shows.
    const columns =
      "seq, id, kind, scenario, target_id, target_name, target_url, profile, overrides_json, engine, status, progress, exit_code, thresholds_json, json_extract(summary_json, '$.probe.steps') AS steps_json, metrics_delivered, error, created_by_json, baseline, pgid, probe_id, created_at, started_at, finished_at";
    const rows = this.db
      .prepare(`SELECT ${columns} FROM runs ${clause} ORDER BY seq DESC LIMIT ?`)
      .all(...values, filter.limit) as Row[];
    return rows.map((row) => {
      const run = toRun(row);
      const steps = json<StepResult[] | null>(row.steps_json, null);
      return steps ? { ...run, summary: { probe: { steps } } as VigilSummary } : run;
    });
  }

  runsWithStatus(statuses: readonly RunStatus[]): RunRecord[] {
    const marks = statuses.map(() => '?').join(', ');
    return (
      this.db.prepare(`SELECT * FROM runs WHERE status IN (${marks}) ORDER BY seq`).all(...statuses) as Row[]
    ).map(toRun);
  }

  countActiveLoadRuns(): number {
    const { n } = this.db
      .prepare("SELECT COUNT(*) AS n FROM runs WHERE kind = 'load' AND status IN ('queued', 'running')")
      .get() as { n: number };
    return n;
  }

  setBaseline(run: RunRecord): void {
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE runs SET baseline = 0 WHERE scenario = ? AND target_name = ? AND baseline = 1')
        .run(run.scenario, run.targetName);
      this.db.prepare('UPDATE runs SET baseline = 1 WHERE id = ?').run(run.id);
    })();
  }

  baselineFor(scenario: string, targetName: string): RunRecord | undefined {
    return this.one(
      'SELECT * FROM runs WHERE scenario = ? AND target_name = ? AND baseline = 1',
      toRun,
      scenario,
      targetName,
    );
  }

  addEvent(runId: string, type: string, message: string): void {
    this.db
      .prepare('INSERT INTO run_events (run_id, at, type, message) VALUES (?, ?, ?, ?)')
      .run(runId, now(), type, message);
  }

  events(runId: string): RunEvent[] {
    const rows = this.db.prepare('SELECT * FROM run_events WHERE run_id = ? ORDER BY id').all(runId) as Row[];
    return rows.map((r) => ({
      id: Number(r.id),
      runId: String(r.run_id),
      at: String(r.at),
      type: String(r.type),
      message: String(r.message),
    }));
  }

  // --- probes
  insertProbe(p: Omit<ProbeRecord, 'createdAt' | 'updatedAt'>): ProbeRecord {
    const at = now();
    this.db
      .prepare(
        'INSERT INTO probes (id, name, target_id, interval_seconds, timeout_seconds, enabled, strict, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        p.id,
        p.name,
        p.targetId,
        p.intervalSeconds,
        p.timeoutSeconds,
        p.enabled ? 1 : 0,
        p.strict,
        at,
        at,
      );
    return this.getProbe(p.id)!;
  }

  updateProbe(p: ProbeRecord): ProbeRecord {
    this.db
      .prepare(
        'UPDATE probes SET name = ?, target_id = ?, interval_seconds = ?, timeout_seconds = ?, enabled = ?, strict = ?, updated_at = ? WHERE id = ?',
      )
      .run(p.name, p.targetId, p.intervalSeconds, p.timeoutSeconds, p.enabled ? 1 : 0, p.strict, now(), p.id);
    return this.getProbe(p.id)!;
  }

  getProbe(id: string): ProbeRecord | undefined {
    return this.one('SELECT * FROM probes WHERE id = ?', toProbe, id);
  }

  probeByName(name: string): ProbeRecord | undefined {
    return this.one('SELECT * FROM probes WHERE name = ?', toProbe, name);
  }

  listProbes(limit = 1000, offset = 0): { items: ProbeRecord[]; total: number } {
    const rows = this.db
      .prepare('SELECT * FROM probes ORDER BY created_at, id LIMIT ? OFFSET ?')
      .all(limit, offset) as Row[];
    const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM probes').get() as { n: number };
    return { items: rows.map(toProbe), total: n };
  }

  probesOfTarget(targetId: string): ProbeRecord[] {
    return (this.db.prepare('SELECT * FROM probes WHERE target_id = ?').all(targetId) as Row[]).map(toProbe);
  }

  deleteProbe(id: string): boolean {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM probe_results WHERE probe_id = ?').run(id);
      return this.db.prepare('DELETE FROM probes WHERE id = ?').run(id).changes > 0;
    })();
  }

  insertProbeResult(r: Omit<ProbeResultRecord, 'id'>): ProbeResultRecord {
    const info = this.db
      .prepare(
        `INSERT INTO probe_results (probe_id, run_id, at, ok, status, duration_ms, failed_step, steps_json, tools_hash, token_expires_in, runner_error_json, findings_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.probeId,
        r.runId,
        r.at,
        r.ok ? 1 : 0,
        r.status,
        r.durationMs,
        r.failedStep,
        JSON.stringify(r.steps),
        r.toolsHash,
        r.tokenExpiresInSeconds,
        r.runnerError ? JSON.stringify(r.runnerError) : null,
        JSON.stringify(r.findings),
      );
    return { ...r, id: Number(info.lastInsertRowid) };
  }

  probeResults(probeId: string, limit: number, beforeId?: number): ProbeResultRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM probe_results WHERE probe_id = ? AND id < ? ORDER BY id DESC LIMIT ?')
      .all(probeId, beforeId ?? Number.MAX_SAFE_INTEGER, limit) as Row[];
    return rows.map(toProbeResult);
  }

  /** The target's verdicts only (results the runner could not produce are left out), newest first. */
  probeVerdicts(probeId: string, limit: number): ProbeResultRecord[] {
    const rows = this.db
      .prepare(
        'SELECT * FROM probe_results WHERE probe_id = ? AND runner_error_json IS NULL ORDER BY id DESC LIMIT ?',
      )
      .all(probeId, limit) as Row[];
    return rows.map(toProbeResult);
  }

  lastProbeResult(probeId: string): ProbeResultRecord | undefined {
    return this.probeResults(probeId, 1)[0];
  }

  /** Deletes finished runs (except baselines), their events and probe results older than the cutoff. */
  prune(olderThan: Date): { runs: string[]; probeResults: number } {
    const cutoff = olderThan.toISOString();
    return this.db.transaction(() => {
      const ids = (
        this.db
          .prepare(
            "SELECT id FROM runs WHERE created_at < ? AND baseline = 0 AND status NOT IN ('queued', 'running')",
          )
          .all(cutoff) as Array<{ id: string }>
      ).map((r) => r.id);
      const del = this.db.prepare('DELETE FROM runs WHERE id = ?');
      const delEvents = this.db.prepare('DELETE FROM run_events WHERE run_id = ?');
      for (const id of ids) {
        del.run(id);
        delEvents.run(id);
      }
      const results = this.db.prepare('DELETE FROM probe_results WHERE at < ?').run(cutoff).changes;
      return { runs: ids, probeResults: results };
    })();
  }
}
