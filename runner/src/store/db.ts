/**
 * The embedded store: one SQLite file in WAL mode, schema changed only by numbered migrations
 * (applied in order, each in a transaction, recorded in schema_migrations).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

export const MIGRATIONS: readonly string[] = [
  // 1: initial schema
  `
  CREATE TABLE targets (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    mcp_url TEXT NOT NULL,
    auth_json TEXT NOT NULL,
    sealed_secrets TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    scenario TEXT NOT NULL,
    target_id TEXT,
    target_name TEXT NOT NULL,
    target_url TEXT NOT NULL,
    profile TEXT NOT NULL,
    overrides_json TEXT NOT NULL,
    engine TEXT NOT NULL,
    status TEXT NOT NULL,
    progress REAL,
    exit_code INTEGER,
    thresholds_json TEXT,
    summary_json TEXT,
    metrics_delivered INTEGER,
    error TEXT,
    created_by_json TEXT,
    baseline INTEGER NOT NULL DEFAULT 0,
    pgid INTEGER,
    probe_id TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT
  );
  CREATE INDEX runs_scenario ON runs (scenario, seq);
  CREATE INDEX runs_target ON runs (target_id, seq);
  CREATE INDEX runs_status ON runs (status);
  CREATE INDEX runs_kind ON runs (kind, seq);
  CREATE TABLE run_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    at TEXT NOT NULL,
    type TEXT NOT NULL,
    message TEXT NOT NULL
  );
  CREATE INDEX run_events_run ON run_events (run_id, id);
  CREATE TABLE probes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    target_id TEXT NOT NULL,
    interval_seconds INTEGER NOT NULL,
    timeout_seconds INTEGER NOT NULL,
    enabled INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE probe_results (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    probe_id TEXT NOT NULL,
    run_id TEXT,
    at TEXT NOT NULL,
    ok INTEGER NOT NULL,
    status TEXT NOT NULL,
    duration_ms REAL NOT NULL,
    failed_step TEXT,
    steps_json TEXT NOT NULL,
    tools_hash TEXT,
    token_expires_in REAL
  );
  CREATE INDEX probe_results_probe ON probe_results (probe_id, id);
  `,
  // 2: why the runner could not produce a walk ({ code, message }); NULL for the target's verdicts
  `
  ALTER TABLE probe_results ADD COLUMN runner_error_json TEXT;
  `,
  // 3: the spec findings of each walk, and each probe's strict mode ('off' or a severity)
  `
  ALTER TABLE probe_results ADD COLUMN findings_json TEXT;
  ALTER TABLE probes ADD COLUMN strict TEXT NOT NULL DEFAULT 'off';
  `,
  // 4: Alertmanager notifications received by the runner's webhook (notifications.ts); alertnames
  // is ",a,b," so one alert name is found with instr()
  `
  CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at TEXT NOT NULL,
    status TEXT NOT NULL,
    alertnames TEXT NOT NULL,
    body_json TEXT NOT NULL
  );
  CREATE INDEX notifications_received ON notifications (received_at);
  `,
];

export function openDb(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Db): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
  );
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  MIGRATIONS.forEach((sql, index) => {
    const version = index + 1;
    if (version <= current) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
        version,
        new Date().toISOString(),
      );
    })();
  });
  return MIGRATIONS.length;
}
