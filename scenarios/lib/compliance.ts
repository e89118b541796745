/**
 * What a walk observes about the server's compliance: each observation is a named check
 * (ProbeResult.compliance, also a k6 check) and, when the server deviates, a finding with a
 * stable code (catalog findings.ts) and redacted evidence. Findings never fail a walk, except in
 * strict mode (STRICT): a finding at or above the strict severity is "blocking", and the step it
 * was seen in fails (walk.ts).
 */
import {
  atLeast,
  findingOf,
  type Finding,
  type FindingCode,
  type FindingEvidence,
} from '../catalog/findings.ts';
import type { ComplianceCheck, FindingSeverity } from '../catalog/index.ts';
import { parseUrl, withoutQuery } from './url.ts';

/** Observations with a check name (kept from earlier walks' results) and the finding a deviation is. */
export const COMPLIANCE = {
  unauthenticated401: { name: 'unauthenticated request gets 401', finding: 'NO_401_ON_UNAUTHENTICATED' },
  bearerChallenge: { name: '401 carries a Bearer challenge', finding: 'WWW_AUTHENTICATE_MISSING' },
  resourceMetadata: {
    name: '401 carries resource_metadata',
    finding: 'WWW_AUTHENTICATE_NO_RESOURCE_METADATA',
  },
  prmPresent: { name: 'protected resource metadata served', finding: 'PRM_MISSING' },
  resourceMatches: { name: 'PRM resource matches the MCP URL', finding: 'PRM_RESOURCE_MISMATCH' },
  issuerMatches: {
    name: 'AS metadata issuer matches the authorization server',
    finding: 'AS_ISSUER_MISMATCH',
  },
  asMetadataPresent: { name: 'authorization server metadata served', finding: 'AS_METADATA_MISSING' },
  s256Advertised: { name: 'S256 advertised', finding: 'PKCE_S256_NOT_ADVERTISED' },
  registrationAuthAdvertised: {
    name: 'registered auth method advertised',
    finding: 'REGISTRATION_AUTH_METHOD_UNADVERTISED',
  },
  tokenAudience: { name: 'token audience = resource', finding: 'TOKEN_AUDIENCE_WRONG' },
  insufficientScope: {
    name: '403 carries insufficient_scope with scope',
    finding: 'INSUFFICIENT_SCOPE_WITHOUT_SCOPE',
  },
  refreshRotates: { name: 'refresh token rotates', finding: 'REFRESH_NOT_ROTATED' },
  oldRefreshRejected: { name: 'old refresh token rejected', finding: 'OLD_REFRESH_ACCEPTED' },
  streamGet405: { name: 'GET without a stream answers 405', finding: 'STREAM_GET_NOT_405' },
} as const satisfies Record<string, { name: string; finding: FindingCode }>;

/** A URL as evidence: origin and path only (a query may carry a key; a fragment says nothing). */
export function urlEvidence(url: string | undefined): string {
  if (url === undefined) return 'missing';
  const parsed = parseUrl(url);
  return parsed ? withoutQuery(parsed) : 'not a URL';
}

export type Observation = (typeof COMPLIANCE)[keyof typeof COMPLIANCE];

export class Compliance {
  readonly checks: ComplianceCheck[] = [];
  readonly findings: Finding[] = [];

  /** @param strict findings of this severity or worse are blocking (undefined: none is). */
  constructor(readonly strict?: FindingSeverity) {}

  /** Records an observation; a deviation (ok false) adds its finding once, with the evidence. */
  record(observation: Observation, ok: boolean, evidence: FindingEvidence = {}): void {
    const existing = this.checks.find((c) => c.name === observation.name);
    if (existing) existing.ok = existing.ok && ok;
    else this.checks.push({ name: observation.name, ok });
    if (!ok && !this.findings.some((f) => f.code === observation.finding))
      this.findings.push(findingOf(observation.finding, evidence));
  }

  isBlocking(finding: Finding): boolean {
    return this.strict !== undefined && atLeast(finding.severity, this.strict);
  }

  /** Blocking findings recorded after the first `since` findings (those a step just added). */
  blockingSince(since: number): Finding[] {
    return this.findings.slice(since).filter((f) => this.isBlocking(f));
  }
}
