/**
 * State the emulated k6 modules share during one `runK6Script`: the metric store, the current
 * phase / VU / scenario / group, logs, the current vm realm (so values handed to the script are
 * made with the script's own intrinsics), and the test-level abort/fail marks.
 */
import { EventLoop } from './event-loop.ts';
import type { MetricStore } from './metric-store.ts';
import { DEFAULT_SYSTEM_TAGS } from './system-tags.ts';
import type { CheckResult, RequestRecord } from './types.ts';

export type Phase = 'init' | 'setup' | 'vu' | 'teardown' | 'summary';

/** Intrinsics of the vm context the script runs in (cross-realm values fail `instanceof`). */
export interface Realm {
  Error: ErrorConstructor;
  ArrayBuffer: ArrayBufferConstructor;
  Uint8Array: Uint8ArrayConstructor;
  Promise: PromiseConstructor;
  JSON: JSON;
  Object: ObjectConstructor;
  Array: ArrayConstructor;
}

export interface ScenarioState {
  name: string;
  executor: string;
  tags: Record<string, string>;
  startTime: number;
  iterationInScenario: number;
}

export interface RuntimeSettings {
  env: Record<string, string>;
  secrets: Record<string, string>;
  k6Version: '1' | '2';
  sleepScale: number;
  scriptDir: string;
  startedAt: number;
  /** Epoch ms at which the whole run must stop (options.timeoutMs). */
  deadline: number;
}

/** Thrown when the run's timeoutMs has passed, from blocking calls too (k6 interrupts a VU likewise). */
export class RunTimeout extends Error {}

/** Thrown to unwind the script when exec.test.abort() was called. */
export class TestAbortSignal extends Error {}

export const SECRET_REDACTION = '***SECRET_REDACTED***';

export class Runtime {
  phase: Phase = 'init';
  vu = 0;
  iteration = 0;
  iterationInTest = 0;
  scenario: ScenarioState | undefined;
  groupPath = '';
  testTags: Record<string, string> = {};
  vuTags: Record<string, string> = {};
  loop = new EventLoop();
  realm!: Realm;
  options: Record<string, unknown> = {};
  /** options.systemTags (k6's default set until the options are read). */
  systemTags: ReadonlySet<string> = new Set(DEFAULT_SYSTEM_TAGS);
  aborted: { reason: string } | undefined;
  failedMark: { reason: string } | undefined;
  readonly logs: string[] = [];
  readonly iterationErrors: string[] = [];
  readonly requests: RequestRecord[] = [];
  readonly checks = new Map<string, CheckResult & { path: string; groupPath: string }>();
  private readonly revealedSecrets = new Set<string>();

  constructor(
    readonly store: MetricStore,
    readonly settings: RuntimeSettings,
  ) {}

  /** Blocking waits (http, sleep) are cut at the run deadline, so timeoutMs holds even inside them. */
  remainingMs(): number {
    const left = this.settings.deadline - Date.now();
    if (left <= 0) throw new RunTimeout('run deadline passed');
    return left;
  }

  elapsedMs(): number {
    return Date.now() - this.settings.startedAt;
  }

  /**
   * Tags every sample carries: test, scenario and VU tags, the `group` and `scenario` system tags
   * (if options.systemTags has them), then `extra` — the call's own tags, plus system tags already
   * passed through `enabledSystemTags`.
   */
  sampleTags(extra: Record<string, unknown> = {}): Record<string, string> {
    const tags: Record<string, string> = { ...this.testTags, ...(this.scenario?.tags ?? {}), ...this.vuTags };
    Object.assign(tags, this.enabledSystemTags({ group: this.groupPath, scenario: this.scenario?.name }));
    for (const [key, value] of Object.entries(extra))
      if (value !== undefined && value !== null) tags[key] = String(value);
    return tags;
  }

  /** Keeps the system tags options.systemTags enables (and drops unset ones), as k6 does before tagging a sample. */
  enabledSystemTags(values: Record<string, string | undefined>): Record<string, string> {
    const kept: Record<string, string> = {};
    for (const [name, value] of Object.entries(values))
      if (value !== undefined && this.systemTags.has(name)) kept[name] = value;
    return kept;
  }

  addSample(metric: string, value: number, tags: Record<string, string>): void {
    this.store.add(metric, value, tags);
  }

  revealSecret(value: string): void {
    if (value) this.revealedSecrets.add(value);
  }

  /** k6 redacts secrets obtained through k6/secrets from its log output. */
  redact(text: string): string {
    let result = text;
    for (const secret of this.revealedSecrets) result = result.split(secret).join(SECRET_REDACTION);
    return result;
  }

  log(level: 'INFO' | 'WARN' | 'ERRO', message: string, fields: Record<string, string> = {}): void {
    const seconds = String(Math.floor(this.elapsedMs() / 1000)).padStart(4, '0');
    const suffix = Object.entries(fields)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const line = this.redact(`${level}[${seconds}] ${message}${suffix ? `  ${suffix}` : ''}`);
    this.logs.push(line);
    this.trace(line);
  }

  /** With VIGIL_K6_ADAPTER_TRACE=1, log lines and HTTP exchanges go to stderr as they happen (debugging hangs). */
  trace(line: string): void {
    if (process.env.VIGIL_K6_ADAPTER_TRACE)
      process.stderr.write(`[k6 adapter +${this.elapsedMs()}ms] ${this.redact(line)}\n`);
  }

  /** An Error made in the script's realm, so `e instanceof Error` holds inside the script. */
  error(message: string): Error {
    return new this.realm.Error(message);
  }

  toScriptArrayBuffer(bytes: Uint8Array): ArrayBuffer {
    const copy = new this.realm.Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return copy.buffer as ArrayBuffer;
  }

  requirePhase(allowed: readonly Phase[], what: string): void {
    if (!allowed.includes(this.phase)) {
      throw this.error(
        this.phase === 'init'
          ? `${what} is not supported in the init context`
          : `${what} is only available in the init context`,
      );
    }
  }
}
