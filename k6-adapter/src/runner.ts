/**
 * One run with `k6 run` semantics for CI, sequentially — init, setup, each scenario's
 * iterations, teardown, thresholds, handleSummary — with k6's exit codes. TEST-ONLY: the product
 * always runs real k6.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import vm from 'node:vm';
import { createScriptContext, type ScriptContext } from './context.ts';
import { EventLoop } from './event-loop.ts';
import { HttpTransport } from './http-transport.ts';
import { MetricStore } from './metric-store.ts';
import { createVuModules, type VuModules } from './modules/index.ts';
import { InvalidOptionsError, planScenarios, type PlannedScenario } from './plan.ts';
import { RunTimeout, Runtime, TestAbortSignal, type Phase } from './runtime.ts';
import { parseSystemTags } from './system-tags.ts';
import { handleSummaryData, metricResults, trendStatsOf } from './summary.ts';
import {
  InvalidThresholdError,
  evaluateAll,
  parseThresholds,
  shouldAbort,
  type ThresholdDefinition,
} from './thresholds.ts';
import type { AdapterRunOptions, AdapterRunResult } from './types.ts';

export const EXIT = {
  ok: 0,
  thresholds: 99,
  invalidConfig: 104,
  timeout: 105,
  scriptException: 107,
  aborted: 108,
  markedFailed: 110,
} as const;

interface Vu {
  id: number;
  exports: Record<string, unknown>;
  script: ScriptContext;
  modules: VuModules;
  iterations: number;
  /** exec.vu.tags: kept per VU across its iterations, as in k6. */
  tags: Record<string, string>;
}

function describeError(error: unknown): { short: string; long: string } {
  if (error && typeof error === 'object' && 'message' in error) {
    const e = error as Error;
    const short = `${e.name ?? 'Error'}: ${e.message}`;
    return { short, long: e.stack && e.stack.includes(e.message) ? e.stack : short };
  }
  return { short: String(error), long: String(error) };
}

class Run {
  readonly runtime: Runtime;
  readonly transport: HttpTransport;
  private readonly vus = new Map<number, Vu>();
  private timedOut = false;
  private thresholdAbort: ThresholdDefinition | undefined;
  private scriptException = false;
  private setupData: unknown;

  constructor(
    private readonly options: AdapterRunOptions,
    private readonly source: string,
    httpWorkerFile: string,
  ) {
    this.transport = new HttpTransport(httpWorkerFile);
    this.runtime = new Runtime(new MetricStore(), {
      env: options.env ?? {},
      secrets: options.secrets ?? {},
      k6Version: options.k6Version ?? '1',
      sleepScale: options.sleepScale ?? 0.01,
      scriptDir: path.dirname(options.script),
      startedAt: Date.now(),
      deadline: Date.now() + (options.timeoutMs ?? 60_000),
    });
  }

  private instantiate(id: number): Vu {
    const modules = createVuModules(this.runtime, this.transport);
    const script = createScriptContext({
      runtime: this.runtime,
      timers: modules.timers,
      requireModule: modules.require,
    });
    this.runtime.vuTags = {};
    this.enter('init', id, script);
    const factory = vm.runInContext(this.source, script.context, { filename: this.options.script }) as (
      host: unknown,
    ) => Record<string, unknown>;
    const exports = factory({ require: modules.require });
    return { id, exports, script, modules, iterations: 0, tags: this.runtime.vuTags };
  }

  private vu(id: number): Vu {
    let vu = this.vus.get(id);
    if (!vu) {
      vu = this.instantiate(id);
      this.vus.set(id, vu);
    }
    return vu;
  }

  private enter(phase: Phase, vuId: number, script: ScriptContext, iteration = 0): void {
    this.runtime.phase = phase;
    this.runtime.vu = vuId;
    this.runtime.realm = script.realm;
    this.runtime.groupPath = '';
    script.setVuGlobals(vuId, iteration);
  }

  /** Calls an exported function and waits for it and everything it started, within the run deadline. */
  private async call(fn: unknown, argument: unknown): Promise<unknown> {
    const loop = new EventLoop();
    this.runtime.loop = loop;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RunTimeout()),
        Math.max(0, this.runtime.settings.deadline - Date.now()),
      );
    });
    try {
      const work = (async () => {
        const result = await (fn as (data: unknown) => unknown).call(undefined, argument);
        await loop.drain();
        return result;
      })();
      return await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
      loop.dispose();
    }
  }

  private copyForVu(vu: Vu): unknown {
    return this.setupData === undefined
      ? undefined
      : vu.script.realm.JSON.parse(JSON.stringify(this.setupData));
  }

  private async iterate(
    scenario: PlannedScenario,
    vuId: number,
    iterationInScenario: number,
    startTime: number,
  ): Promise<void> {
    const vu = this.vu(vuId);
    const runtime = this.runtime;
    runtime.vuTags = vu.tags;
    runtime.scenario = {
      name: scenario.name,
      executor: scenario.executor,
      tags: scenario.tags,
      startTime,
      iterationInScenario,
    };
    this.enter('vu', vu.id, vu.script, vu.iterations);
    runtime.iteration = vu.iterations;
    if (runtime.options.noCookiesReset !== true) vu.modules.resetCookies();
    const started = performance.now();
    try {
      await this.call(vu.exports[scenario.exec], this.copyForVu(vu));
    } catch (error) {
      if (error instanceof RunTimeout) throw error;
      if (!(error instanceof TestAbortSignal) && !runtime.aborted) {
        const { short, long } = describeError(error);
        runtime.iterationErrors.push(short);
        runtime.log('ERRO', long, {
          executor: scenario.executor,
          scenario: scenario.name,
          source: 'stacktrace',
        });
      }
    } finally {
      vu.iterations++;
      runtime.iterationInTest++;
    }
    if (runtime.aborted) return;
    const tags = runtime.sampleTags();
    runtime.addSample('iterations', 1, tags);
    runtime.addSample('iteration_duration', performance.now() - started, tags);
  }

  private async runScenarios(plan: PlannedScenario[], thresholds: ThresholdDefinition[]): Promise<void> {
    for (const scenario of plan) {
      const startTime = Date.now();
      for (const [index, [vuId]] of scenario.iterations.entries()) {
        if (this.runtime.aborted || this.thresholdAbort) return;
        // A script that caught the interrupt inside its iteration still stops here.
        if (Date.now() >= this.runtime.settings.deadline) throw new RunTimeout('run deadline passed');
        await this.iterate(scenario, vuId, index, startTime);
        this.thresholdAbort = shouldAbort(thresholds, this.runtime.store, this.runtime.elapsedMs());
        if (this.thresholdAbort) {
          this.runtime.log(
            'ERRO',
            `thresholds on metrics '${this.thresholdAbort.metric}' were crossed; at least one has abortOnFail enabled, stopping test prematurely`,
          );
        }
      }
    }
    this.runtime.scenario = undefined;
  }

  /** setup()/teardown(): an exception there is a script exception (exit 107), as in k6. */
  private async lifecycle(name: 'setup' | 'teardown'): Promise<void> {
    const main = this.vu(0);
    const fn = main.exports[name];
    if (typeof fn !== 'function') return;
    this.runtime.scenario = undefined;
    this.enter(name, 0, main.script);
    try {
      const result = await this.call(fn, name === 'teardown' ? this.copyForVu(main) : undefined);
      if (name === 'setup')
        this.setupData = result === undefined ? undefined : JSON.parse(JSON.stringify(result));
    } catch (error) {
      if (error instanceof RunTimeout) throw error;
      if (error instanceof TestAbortSignal || this.runtime.aborted) return;
      this.scriptException = true;
      this.runtime.log('ERRO', describeError(error).long, { hint: 'script exception' });
    }
  }

  private async summary(
    metrics: AdapterRunResult['metrics'],
    thresholds: AdapterRunResult['thresholds'],
  ): Promise<Record<string, string>> {
    const main = this.vu(0);
    const fn = main.exports.handleSummary;
    if (typeof fn !== 'function') return {};
    this.runtime.scenario = undefined;
    this.enter('summary', 0, main.script);
    const data = main.script.realm.JSON.parse(
      JSON.stringify(handleSummaryData(this.runtime, metrics, thresholds, this.setupData)),
    );
    try {
      const produced = (await this.call(fn, data)) as Record<string, unknown> | undefined;
      const outputs: Record<string, string> = {};
      for (const [target, content] of Object.entries(produced ?? {})) {
        outputs[target] =
          typeof content === 'string' ? content : new TextDecoder().decode(content as ArrayBuffer);
      }
      return outputs;
    } catch (error) {
      if (error instanceof RunTimeout) throw error;
      this.runtime.log('ERRO', `failed to handle the end-of-test summary: ${describeError(error).short}`);
      return {};
    }
  }

  private result(
    exitCode: number,
    thresholds: ThresholdDefinition[],
    summaryOutputs: Record<string, string> = {},
    evaluated?: AdapterRunResult['thresholds'],
  ): AdapterRunResult {
    const runtime = this.runtime;
    const stats = [...new Set([...trendStatsOf(runtime.options), 'count'])];
    return {
      exitCode,
      thresholds: evaluated ?? evaluateAll(thresholds, runtime.store, runtime.elapsedMs() / 1000),
      metrics: metricResults(runtime.store, thresholds, stats, runtime.elapsedMs() / 1000),
      checks: [...runtime.checks.values()].map(({ name, passes, fails }) => ({ name, passes, fails })),
      logs: runtime.logs,
      iterationErrors: runtime.iterationErrors,
      summaryOutputs,
      requests: runtime.requests,
    };
  }

  async execute(): Promise<AdapterRunResult> {
    const runtime = this.runtime;
    let main: Vu;
    try {
      main = this.vu(0);
    } catch (error) {
      runtime.log('ERRO', describeError(error).long, { hint: 'script exception' });
      return this.result(runtime.aborted ? EXIT.aborted : EXIT.scriptException, []);
    }
    runtime.options = (main.exports.options as Record<string, unknown> | undefined) ?? {};
    for (const [k, v] of Object.entries((runtime.options.tags as Record<string, unknown>) ?? {}))
      runtime.testTags[k] = String(v);
    let thresholds: ThresholdDefinition[];
    let plan: PlannedScenario[];
    try {
      runtime.systemTags = parseSystemTags(runtime.options.systemTags);
      thresholds = parseThresholds(runtime.options.thresholds, runtime.store);
      plan = planScenarios(runtime.options, main.exports, {
        only: this.options.scenarios,
        maxIterationsPerScenario: this.options.maxIterationsPerScenario,
      });
    } catch (error) {
      if (!(error instanceof InvalidThresholdError || error instanceof InvalidOptionsError)) throw error;
      runtime.log('ERRO', error.message);
      return this.result(EXIT.invalidConfig, []);
    }
    try {
      await this.lifecycle('setup');
      if (!this.scriptException && !runtime.aborted) await this.runScenarios(plan, thresholds);
      if (!this.scriptException) await this.lifecycle('teardown');
    } catch (error) {
      if (!(error instanceof RunTimeout)) throw error;
      this.timedOut = true;
      runtime.log(
        'ERRO',
        `k6 adapter: run exceeded timeoutMs (${this.options.timeoutMs ?? 60_000} ms), stopped`,
      );
    }
    const evaluated = evaluateAll(thresholds, runtime.store, runtime.elapsedMs() / 1000);
    for (const t of evaluated)
      if (!t.ok) runtime.log('ERRO', `thresholds on metrics '${t.metric}' have been crossed`);
    const stats = [...new Set([...trendStatsOf(runtime.options), 'count'])];
    const metrics = metricResults(runtime.store, thresholds, stats, runtime.elapsedMs() / 1000);
    let outputs: Record<string, string> = {};
    if (!this.timedOut) {
      this.deadlineExtension();
      outputs = await this.summary(metrics, evaluated).catch(() => ({}));
    }
    return this.result(this.exitCode(evaluated), thresholds, outputs, evaluated);
  }

  /** handleSummary still runs when iterations used the whole budget (k6 gives it its own timeout). */
  private deadlineExtension(): void {
    this.runtime.settings.deadline = Math.max(this.runtime.settings.deadline, Date.now() + 10_000);
  }

  private exitCode(evaluated: AdapterRunResult['thresholds']): number {
    if (this.runtime.aborted) return EXIT.aborted;
    if (this.timedOut) return EXIT.timeout;
    if (this.scriptException) return EXIT.scriptException;
    if (this.thresholdAbort || evaluated.some((t) => !t.ok)) return EXIT.thresholds;
    if (this.runtime.failedMark) return EXIT.markedFailed;
    return EXIT.ok;
  }
}

let activeRuntime: Runtime | undefined;

/** k6 ends the iteration on an unhandled promise rejection ("Uncaught (in promise)"). */
export function reportUnhandledRejection(reason: unknown): void {
  if (!activeRuntime) return;
  activeRuntime.log('ERRO', `Uncaught (in promise) ${describeError(reason).short}`);
  activeRuntime.loop.fail(reason);
}

/** Executes an already bundled script (inside the engine worker, see run.ts). */
export async function executeRun(
  options: AdapterRunOptions,
  source: string,
  httpWorkerFile: string,
): Promise<AdapterRunResult> {
  const run = new Run(options, source, httpWorkerFile);
  activeRuntime = run.runtime;
  try {
    return await run.execute();
  } finally {
    activeRuntime = undefined;
    await run.transport.close();
  }
}
