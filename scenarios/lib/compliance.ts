/** Spec-compliance observations collected during a walk (ProbeResult.compliance). */
import type { ComplianceCheck } from '../catalog/index.ts';

export const COMPLIANCE = {
  unauthenticated401: 'unauthenticated request gets 401',
  resourceMetadata: '401 carries resource_metadata',
  resourceMatches: 'PRM resource matches the MCP URL',
  s256Advertised: 'S256 advertised',
  refreshRotates: 'refresh token rotates',
  oldRefreshRejected: 'old refresh token rejected',
  tokenAudience: 'token audience = resource',
  insufficientScope: '403 carries insufficient_scope with scope',
} as const;

export class Compliance {
  readonly checks: ComplianceCheck[] = [];

  record(name: string, ok: boolean): void {
    const existing = this.checks.find((c) => c.name === name);
    if (existing) existing.ok = existing.ok && ok;
    else this.checks.push({ name, ok });
  }
}
