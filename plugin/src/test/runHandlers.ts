/**
 * MSW handlers for the runs and notifications operations of the runner double, and for the two
 * Grafana datasource APIs the Alerts page and the Overview read (Alertmanager's v2 alerts and
 * silences, Prometheus' /api/v1/alerts).
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import { validateOverrides } from '@vigil/scenarios/catalog/overrides.ts';
import type { SilenceCreate } from '../api/alerting';
import type { Run, RunCreate } from '../api/types';
import { SCENARIOS, nextId } from './fixtures';
import { type RunnerAnswer, notFound, runner, runnerError, runnerRoute } from './runnerDouble';

const RUN_ACTIVE = new Set(['queued', 'running']);
/** The run list's item: a run without its summary (runner/src/api/routes-runs.ts runView(r, false)). */
const listItem = ({ summary: _summary, ...item }: Run) => item;

export function runHandlers(): HttpHandler[] {
  const withRun = (id: string, then: (run: Run) => RunnerAnswer) => {
    const run = runner.run(id);
    return run ? then(run) : notFound('run', id);
  };
  return [
    runnerRoute('get', '/api/runs', ({ query }) => {
      const limit = Number(query.get('limit') ?? 50);
      const start = Number(query.get('cursor') ?? 0);
      const matching = runner.runs.filter(
        (run) =>
          (!query.get('scenario') || run.scenario === query.get('scenario')) &&
          (!query.get('target') || run.targetId === query.get('target')) &&
          (!query.get('status') || run.status === query.get('status')) &&
          (!query.get('kind') || run.kind === query.get('kind'))
      );
      // the double's cursor is the next row's index (the runner's is a sequence number: opaque to the app)
      const items = matching.slice(start, start + limit);
      const nextCursor = start + limit < matching.length ? String(start + limit) : null;
      return { status: 200, body: { items: items.map(listItem), nextCursor } };
    }),
    runnerRoute('post', '/api/runs', ({ body }) => {
      const input = body as RunCreate;
      const scenario = SCENARIOS.scenarios.find((candidate) => candidate.id === input.scenario);
      if (!scenario) {
        return runnerError(400, 'invalid_field', `unknown scenario ${input.scenario}`, 'scenario');
      }
      const target = input.targetId ? runner.targets.get(input.targetId)?.target : undefined;
      if (!target) {
        return runnerError(400, 'invalid_field', `target ${input.targetId} does not exist`, 'targetId');
      }
      const checked = validateOverrides(input.scenario, (input.overrides ?? {}) as Record<string, string>);
      if (checked.errors.length > 0) {
        return runnerError(400, 'invalid_field', checked.errors[0].message, checked.errors[0].field);
      }
      if (typeof checked.values.vus === 'number' && checked.values.vus > SCENARIOS.limits.maxVus) {
        return runnerError(
          400,
          'limit_exceeded',
          `vus ${checked.values.vus} is over this runner's limit of ${SCENARIOS.limits.maxVus}`,
          'overrides.vus'
        );
      }
      const run: Run = {
        id: nextId('run'),
        kind: scenario.kind,
        scenario: scenario.id,
        targetId: target.id,
        targetName: target.name,
        targetUrl: target.mcpUrl,
        profile: input.profile ?? 'smoke',
        overrides: checked.values as Run['overrides'],
        engine: input.engine ?? 'local',
        status: 'queued',
        progress: null,
        exitCode: null,
        thresholds: null,
        steps: null,
        metricsDelivered: null,
        error: null,
        createdBy: { login: 'editor', userId: '2' },
        baseline: false,
        createdAt: new Date().toISOString(),
        startedAt: null,
        finishedAt: null,
        summary: null,
      };
      runner.addRun(run);
      return { status: 201, body: run };
    }),
    runnerRoute('get', '/api/runs/{id}', ({ params }) => withRun(params.id, (run) => ({ status: 200, body: run }))),
    runnerRoute('get', '/api/runs/{id}/events', ({ params }) =>
      withRun(params.id, (run) => ({
        status: 200,
        body: {
          items: [
            {
              id: 1,
              runId: run.id,
              at: run.createdAt,
              type: 'queued',
              message: `${run.scenario} on ${run.targetName}`,
            },
            ...(run.startedAt
              ? [{ id: 2, runId: run.id, at: run.startedAt, type: 'started', message: 'k6 started (local)' }]
              : []),
          ],
        },
      }))
    ),
    runnerRoute('get', '/api/runs/{id}/logs', ({ params, query }) =>
      withRun(params.id, (run) => {
        const lines = runner.runLogs.get(run.id) ?? [];
        const tail = Number(query.get('tail') ?? 200);
        return { status: 200, body: { lines: lines.slice(-tail), truncated: lines.length > tail } };
      })
    ),
    runnerRoute('post', '/api/runs/{id}/stop', ({ params }) =>
      withRun(params.id, (run) => {
        if (!RUN_ACTIVE.has(run.status)) {
          return runnerError(409, 'not_active', `run ${run.id} is ${run.status}, not active`, 'id');
        }
        runner.updateRun(run.id, { status: 'stopped', finishedAt: new Date().toISOString(), exitCode: 105 });
        return { status: 202, body: runner.run(run.id) };
      })
    ),
    runnerRoute('post', '/api/runs/{id}/baseline', ({ params }) =>
      withRun(params.id, (run) => {
        if (run.status !== 'passed' && run.status !== 'failed') {
          return runnerError(
            409,
            'no_verdict',
            `run ${run.id} is ${run.status}: only a run that ran to its end can be a baseline`,
            'id'
          );
        }
        runner.runs = runner.runs.map((other) =>
          other.scenario === run.scenario && other.targetName === run.targetName
            ? { ...other, baseline: other.id === run.id }
            : other
        );
        return { status: 200, body: runner.run(run.id) };
      })
    ),
    runnerRoute('get', '/api/runs/{id}/compare', ({ params }) =>
      withRun(params.id, (run) => {
        const baseline = runner.runs.find(
          (other) => other.baseline && other.scenario === run.scenario && other.targetName === run.targetName
        );
        if (!baseline) {
          return runnerError(
            404,
            'no_baseline',
            `no baseline for scenario ${run.scenario} on target ${run.targetName}`,
            'id'
          );
        }
        const p95 = (of: Run) => of.summary?.metrics.oauth_auth_duration?.values['p(95)'] ?? null;
        const [now, then] = [p95(run), p95(baseline)];
        const delta = now !== null && then !== null ? now - then : null;
        return {
          status: 200,
          body: {
            runId: run.id,
            baselineId: baseline.id,
            items: [
              {
                metric: 'oauth_auth_duration',
                stat: 'p95',
                run: now,
                baseline: then,
                delta,
                deltaPercent: delta !== null && then ? (delta / then) * 100 : null,
              },
            ],
          },
        };
      })
    ),
  ];
}

/**
 * Grafana's Alertmanager API for the external Alertmanager datasource and the Prometheus
 * datasource proxy (api/alerting.ts): answered from `runner.alertmanagerAlerts` and
 * `runner.prometheusAlerts` (not runner operations, so not checked against runner/openapi.json).
 */
export function datasourceHandlers(): HttpHandler[] {
  return [
    http.get('/api/alertmanager/:uid/api/v2/alerts', () => HttpResponse.json(runner.alertmanagerAlerts)),
    http.post('/api/alertmanager/:uid/api/v2/silences', async ({ request }) => {
      runner.silences.push((await request.json()) as SilenceCreate);
      return HttpResponse.json({ silenceID: `sil-${runner.silences.length}` });
    }),
    http.get('/api/datasources/proxy/uid/:uid/api/v1/alerts', () =>
      HttpResponse.json({ status: 'success', data: { alerts: runner.prometheusAlerts } })
    ),
  ];
}
