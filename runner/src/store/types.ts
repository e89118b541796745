import type {
  Finding,
  FindingSeverity,
  ProbeResult,
  ProbeRunnerErrorCode,
  RunStatus,
  ThresholdResult,
  VigilSummary,
} from '@vigil/scenarios/catalog';

/** A probe's strict mode: `off`, or the severity from which findings fail its walk. */
export type ProbeStrict = 'off' | FindingSeverity;

export { RUN_STATUSES, type RunStatus } from '@vigil/scenarios/catalog';
export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running'];
export const ENGINES = ['local', 'kubernetes'] as const;
export type EngineName = (typeof ENGINES)[number];

/** Target auth settings that may be shown; secrets live apart, sealed. */
export interface TargetAuth {
  clientId?: string;
  loginUser?: string;
  scopes?: string;
  grant?: 'authorization_code' | 'client_credentials';
  tokenAuth?: 'none' | 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  clientKeyAlg?: string;
  clientMetadataUrl?: string;
}

/** Write-only target secrets, keyed by their scenario environment variable. */
export const SECRET_FIELDS = {
  clientSecret: 'CLIENT_SECRET',
  loginPassword: 'LOGIN_PASSWORD',
  clientPrivateKey: 'CLIENT_PRIVATE_KEY',
} as const;
export type SecretField = keyof typeof SECRET_FIELDS;

export interface TargetRecord {
  id: string;
  name: string;
  mcpUrl: string;
  auth: TargetAuth;
  sealedSecrets: string | null;
  secretFields: SecretField[];
  createdAt: string;
  updatedAt: string;
}

export interface CreatedBy {
  login?: string;
  userId?: string;
}

export interface RunRecord {
  id: string;
  seq: number;
  kind: 'load' | 'probe';
  scenario: string;
  targetId: string | null;
  targetName: string;
  targetUrl: string;
  profile: string;
  overrides: Record<string, string | number>;
  engine: EngineName;
  status: RunStatus;
  progress: number | null;
  exitCode: number | null;
  thresholds: ThresholdResult[] | null;
  summary: VigilSummary | null;
  metricsDelivered: boolean | null;
  error: string | null;
  createdBy: CreatedBy | null;
  baseline: boolean;
  pgid: number | null;
  probeId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ProbeRecord {
  id: string;
  name: string;
  targetId: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  enabled: boolean;
  strict: ProbeStrict;
  createdAt: string;
  updatedAt: string;
}

export interface ProbeResultRecord {
  id: number;
  probeId: string;
  runId: string | null;
  at: string;
  ok: boolean;
  /** passed | failed | timeout | error | skipped */
  status: string;
  durationMs: number;
  failedStep: string | null;
  steps: ProbeResult['steps'];
  toolsHash: string | null;
  tokenExpiresInSeconds: number | null;
  /**
   * Set when the runner could not produce a walk (no k6, unreadable secrets, a refused URL…): the
   * result says nothing about the target and does not count as one of its failures.
   */
  runnerError: { code: ProbeRunnerErrorCode; message: string } | null;
  /** Spec findings of the walk (none for runner errors and results older than findings). */
  findings: Finding[];
}

export interface RunEvent {
  id: number;
  runId: string;
  at: string;
  type: string;
  message: string;
}
