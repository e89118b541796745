/**
 * Names for the runner's request and answer types, all derived from the generated OpenAPI types
 * (runner.generated.ts, `npm run api:types`), so a change of runner/openapi.json shows up here as a
 * type error instead of a runtime surprise. Import types from this file, not from the generated one.
 */
import type { paths } from './runner.generated';

/** A path of the runner's API as the OpenAPI document spells it (`/api/targets/{id}`). */
export type RunnerPath = keyof paths;
export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

type Operation<P extends RunnerPath, M extends HttpMethod> = Exclude<paths[P][M], undefined>;
type JsonContent<T> = T extends { content: { 'application/json': infer C } } ? C : never;

/** The JSON body the runner answers `P` `M` with, for status `S` (`200`, `201`, `'4XX'`…). */
export type Answer<
  P extends RunnerPath,
  M extends HttpMethod,
  S extends keyof Operation<P, M>['responses'],
> = JsonContent<Operation<P, M>['responses'][S]>;

/** The JSON body `P` `M` takes. */
export type RequestBody<P extends RunnerPath, M extends HttpMethod> =
  Operation<P, M> extends { requestBody: infer B } ? JsonContent<B> : never;

/** The query parameters of `P` `M`. */
export type QueryParams<P extends RunnerPath, M extends HttpMethod> = NonNullable<
  Operation<P, M>['parameters']['query']
>;

// Health
export type Readiness = Answer<'/readyz', 'get', 200>;
export type ReadinessProblem = Readiness['problems'][number];
export type Scenarios = Answer<'/api/scenarios', 'get', 200>;
export type Scenario = Scenarios['scenarios'][number];

// Targets
export type Target = Answer<'/api/targets/{id}', 'get', 200>;
export type TargetPage = Answer<'/api/targets', 'get', 200>;
export type TargetCreate = RequestBody<'/api/targets', 'post'>;
export type TargetPatch = RequestBody<'/api/targets/{id}', 'patch'>;
export type TargetAuthInput = NonNullable<TargetCreate['auth']>;
export type OffsetPage = QueryParams<'/api/targets', 'get'>;

// Probes
export type Probe = Answer<'/api/probes/{id}', 'get', 200>;
export type ProbePage = Answer<'/api/probes', 'get', 200>;
export type ProbeCreate = RequestBody<'/api/probes', 'post'>;
export type ProbePatch = RequestBody<'/api/probes/{id}', 'patch'>;
export type ProbeRunAnswer = Answer<'/api/probes/{id}/run', 'post', 200>;
export type ProbeResultPage = Answer<'/api/probes/{id}/results', 'get', 200>;
export type ProbeResultsQuery = QueryParams<'/api/probes/{id}/results', 'get'>;
export type ProbeResult = ProbeResultPage['items'][number];
export type ProbeStep = ProbeResult['steps'][number];
export type StepName = ProbeStep['step'];
export type Finding = ProbeResult['findings'][number];
export type FindingSeverity = Finding['severity'];
export type StrictLevel = Probe['strict'];
export type ProbeRunnerError = NonNullable<ProbeResult['runnerError']>;

// Runs
export type Run = Answer<'/api/runs/{id}', 'get', 200>;
export type RunPage = Answer<'/api/runs', 'get', 200>;
/** A run as the list shows it: without its summary. */
export type RunListItem = RunPage['items'][number];
export type RunListQuery = QueryParams<'/api/runs', 'get'>;
export type RunCreate = RequestBody<'/api/runs', 'post'>;
export type RunEvents = Answer<'/api/runs/{id}/events', 'get', 200>;
export type RunLogs = Answer<'/api/runs/{id}/logs', 'get', 200>;
export type RunLogsQuery = QueryParams<'/api/runs/{id}/logs', 'get'>;
export type RunComparison = Answer<'/api/runs/{id}/compare', 'get', 200>;
export type RunStatus = Run['status'];
export type RunKind = Run['kind'];
export type RunThreshold = NonNullable<Run['thresholds']>[number];
export type RunSummary = NonNullable<Run['summary']>;
export type RunEvent = RunEvents['items'][number];
export type ComparisonItem = RunComparison['items'][number];
export type ScenarioParameter = Scenario['parameters'][number];
export type Profile = Scenarios['profiles'][number];
export type RunnerLimits = Scenarios['limits'];

// Notifications: what Alertmanager sent to the runner's own receiver
export type NotificationPage = Answer<'/api/notifications', 'get', 200>;
export type NotificationQuery = QueryParams<'/api/notifications', 'get'>;
export type Notification = NotificationPage['items'][number];
export type NotifiedAlert = Notification['alerts'][number];

/** What every runner error answer looks like: `{ error: { code, message, field?, runId? } }`. */
export type RunnerErrorBody = Answer<'/api/targets', 'get', '4XX'>;
