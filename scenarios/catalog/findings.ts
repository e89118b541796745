/**
 * Spec findings: every deviation from the MCP authorization spec (and the OAuth RFCs it builds on)
 * that the probe sees, with a stable code and a severity. A finding never fails a walk on its own
 * — the walk's verdict answers "can a real client get through?" — except in strict mode, where
 * findings at or above the chosen severity do. This file is what k6 loads (codes, severities,
 * steps); the titles, spec references and fixes people read are in findings-text.ts, which only
 * Node consumers (runner, CLI, reports) import.
 */
import type { Step } from './metrics.ts';

export const FINDING_SEVERITIES = ['info', 'low', 'medium', 'high'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** Each code's severity and the step of the walk where the probe sees it. */
export const FINDINGS = {
  /** The MCP endpoint answered `initialize` without a token (it asks for authorization later, or never). */
  NO_401_ON_UNAUTHENTICATED: { severity: 'low', step: 'discovery' },
  /** A 401 without a `WWW-Authenticate: Bearer` challenge. */
  WWW_AUTHENTICATE_MISSING: { severity: 'medium', step: 'discovery' },
  /** The 401 challenge names no `resource_metadata`; the PRM was found at a well-known URL. */
  WWW_AUTHENTICATE_NO_RESOURCE_METADATA: { severity: 'info', step: 'discovery' },
  /** No Protected Resource Metadata at all (2025-03-26 behaviour: AS metadata at the MCP origin). */
  PRM_MISSING: { severity: 'low', step: 'discovery' },
  /** The PRM `resource` does not cover the MCP URL: a client must stop (the walk does). */
  PRM_RESOURCE_MISMATCH: { severity: 'high', step: 'discovery' },
  /** The AS metadata's `issuer` is not the authorization server identifier it was fetched for. */
  AS_ISSUER_MISMATCH: { severity: 'high', step: 'discovery' },
  /** No RFC 8414 or OpenID metadata: the client falls back to the fixed 2025-03-26 endpoints. */
  AS_METADATA_MISSING: { severity: 'low', step: 'discovery' },
  /** The AS does not advertise PKCE S256: a client must refuse it (the walk does). */
  PKCE_S256_NOT_ADVERTISED: { severity: 'high', step: 'discovery' },
  /** Registration gave a token endpoint auth method the AS metadata does not list. */
  REGISTRATION_AUTH_METHOD_UNADVERTISED: { severity: 'low', step: 'registration' },
  /** The access token's `aud` does not name the resource (RFC 8707). */
  TOKEN_AUDIENCE_WRONG: { severity: 'high', step: 'token' },
  /** A 403 `insufficient_scope` that names no `scope` to ask for. */
  INSUFFICIENT_SCOPE_WITHOUT_SCOPE: { severity: 'low', step: 'tools_call' },
  /** A public client got the same refresh token back (OAuth 2.1 requires rotation). */
  REFRESH_NOT_ROTATED: { severity: 'medium', step: 'refresh' },
  /** A refresh token that was rotated away was accepted again. */
  OLD_REFRESH_ACCEPTED: { severity: 'high', step: 'refresh' },
  /** GET on the MCP endpoint answered 404 instead of opening a stream or 405. */
  STREAM_GET_NOT_405: { severity: 'info', step: 'stream' },
} as const satisfies Record<string, { severity: FindingSeverity; step: Step }>;

export type FindingCode = keyof typeof FINDINGS;
export const FINDING_CODES = Object.keys(FINDINGS) as [FindingCode, ...FindingCode[]];

/** What a finding carries: redacted evidence only (statuses, header and field names, hosts). */
export type FindingEvidence = Record<string, string | number | boolean>;

export interface Finding {
  code: FindingCode;
  severity: FindingSeverity;
  step: Step;
  evidence: FindingEvidence;
}

export function findingOf(code: FindingCode, evidence: FindingEvidence = {}): Finding {
  const { severity, step } = FINDINGS[code];
  return { code, severity, step, evidence };
}

/** True when `severity` is `minimum` or worse. */
export function atLeast(severity: FindingSeverity, minimum: FindingSeverity): boolean {
  return FINDING_SEVERITIES.indexOf(severity) >= FINDING_SEVERITIES.indexOf(minimum);
}

/**
 * STRICT: unset or `false` (findings never fail a walk), `true` (findings of severity `high`
 * fail it), or a severity (that one or worse fails it). Anything else is refused by the caller.
 */
export function strictSeverity(value: string | undefined): FindingSeverity | undefined | 'invalid' {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'false' || v === 'off') return undefined;
  if (v === 'true') return 'high';
  return (FINDING_SEVERITIES as readonly string[]).includes(v) ? (v as FindingSeverity) : 'invalid';
}
