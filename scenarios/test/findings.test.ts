/**
 * The findings machinery on its own: the catalog's codes and texts agree, strict mode parses, a
 * deviation becomes one finding with redacted evidence, and blocking depends on the severity.
 * (Each finding's detection in a real walk: scenarios-findings.test.ts and scenarios-variants.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { atLeast, FINDINGS, FINDING_SEVERITIES, strictSeverity } from '../catalog/findings.ts';
import { FINDING_TEXT } from '../catalog/findings-text.ts';
import { STEPS } from '../catalog/index.ts';
import { COMPLIANCE, Compliance, urlEvidence } from '../lib/compliance.ts';

describe('the findings catalog', () => {
  it('gives every code a severity, a step of the walk, a title, a spec link and a fix', () => {
    expect(Object.keys(FINDING_TEXT).sort()).toEqual(Object.keys(FINDINGS).sort());
    for (const [code, finding] of Object.entries(FINDINGS)) {
      expect(FINDING_SEVERITIES, code).toContain(finding.severity);
      expect(STEPS, code).toContain(finding.step);
      const text = FINDING_TEXT[code as keyof typeof FINDINGS];
      expect(text.title.length, code).toBeGreaterThan(10);
      expect(text.spec.url, code).toMatch(/^https:\/\//);
      expect(text.fix.length, code).toBeGreaterThan(40);
    }
  });

  it('maps every compliance observation to a finding code', () => {
    for (const observation of Object.values(COMPLIANCE)) expect(FINDINGS).toHaveProperty(observation.finding);
  });

  it('reads STRICT as off, true (= high) or a severity, and refuses anything else', () => {
    expect(strictSeverity(undefined)).toBeUndefined();
    expect(strictSeverity('false')).toBeUndefined();
    expect(strictSeverity('true')).toBe('high');
    expect(strictSeverity(' Medium ')).toBe('medium');
    expect(strictSeverity('yes')).toBe('invalid');
    expect(atLeast('high', 'medium')).toBe(true);
    expect(atLeast('low', 'medium')).toBe(false);
    expect(atLeast('info', 'info')).toBe(true);
  });
});

describe('Compliance', () => {
  it('records a deviation once as a finding, keeps passing observations as checks only', () => {
    const c = new Compliance();
    c.record(COMPLIANCE.s256Advertised, true);
    c.record(COMPLIANCE.issuerMatches, false, { field: 'issuer' });
    c.record(COMPLIANCE.issuerMatches, false, { field: 'issuer', again: true });
    expect(c.checks).toEqual([
      { name: 'S256 advertised', ok: true },
      { name: 'AS metadata issuer matches the authorization server', ok: false },
    ]);
    expect(c.findings).toEqual([
      { code: 'AS_ISSUER_MISMATCH', severity: 'high', step: 'discovery', evidence: { field: 'issuer' } },
    ]);
  });

  it('calls a finding blocking only in strict mode, from the strict severity up', () => {
    const lax = new Compliance();
    lax.record(COMPLIANCE.issuerMatches, false);
    expect(lax.blockingSince(0)).toEqual([]);
    const strict = new Compliance('medium');
    strict.record(COMPLIANCE.resourceMetadata, false); // info
    strict.record(COMPLIANCE.refreshRotates, false); // medium
    expect(strict.blockingSince(0).map((f) => f.code)).toEqual(['REFRESH_NOT_ROTATED']);
    expect(strict.blockingSince(2)).toEqual([]);
  });

  it('keeps URLs in evidence to origin and path: no query (a key may ride in it), no fragment', () => {
    expect(urlEvidence('https://mcp.example.com/tenant/mcp?api_key=s3cr3t-value#frag')).toBe(
      'https://mcp.example.com/tenant/mcp',
    );
    expect(urlEvidence('https://as.example.com')).toBe('https://as.example.com/');
    expect(urlEvidence(undefined)).toBe('missing');
    expect(urlEvidence('not a url ?token=x')).toBe('not a URL');
  });
});
