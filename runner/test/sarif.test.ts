/** The SARIF 2.1.0 log of a probe's spec findings, built from hand-made summaries. */
import { readFileSync } from 'node:fs';
import type { Finding, VigilSummary } from '@vigil/scenarios/catalog';
import { FINDING_TEXT } from '@vigil/scenarios/catalog/findings-text.ts';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../src/cli/findings.ts';
import { sarifLog } from '../src/cli/sarif.ts';
import { sarifErrors } from './sarif-schema.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const TARGET = 'https://mcp.example.com/mcp';

const FINDINGS: Finding[] = [
  {
    code: 'WWW_AUTHENTICATE_NO_RESOURCE_METADATA',
    severity: 'info',
    step: 'discovery',
    evidence: { status: 401 },
  },
  { code: 'REFRESH_NOT_ROTATED', severity: 'medium', step: 'refresh', evidence: { rotated: false } },
  {
    code: 'AS_ISSUER_MISMATCH',
    severity: 'high',
    step: 'discovery',
    evidence: {
      field: 'issuer',
      metadataIssuer: 'http://127.0.0.1:1',
      authorizationServer: 'http://127.0.0.1:1/tenant1',
      document: 'rfc8414',
    },
  },
  {
    code: 'REGISTRATION_AUTH_METHOD_UNADVERTISED',
    severity: 'low',
    step: 'registration',
    evidence: { method: 'client_secret_basic' },
  },
];

function probeSummary(
  findings: Finding[] = FINDINGS,
  probe: Partial<VigilSummary['probe']> = {},
): VigilSummary {
  return {
    version: 1,
    scenario: 'probe',
    profile: 'smoke',
    ok: true,
    thresholds: [],
    metrics: {},
    checks: { passes: 1, fails: 0 },
    durationMs: 100,
    probe: {
      ok: true,
      steps: [
        { step: 'discovery', ok: true, durationMs: 3 },
        { step: 'registration', ok: true, durationMs: 3 },
        { step: 'refresh', ok: true, durationMs: 3 },
      ],
      compliance: [],
      findings,
      ...probe,
    },
  };
}

describe('sarifLog', () => {
  it('is a valid SARIF 2.1.0 log; a broken one is not (the check can fail)', () => {
    const log: Json = sarifLog(probeSummary(), TARGET);
    expect(sarifErrors(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const broken: Json = structuredClone(log);
    broken.runs[0].results[0].level = 'bogus';
    expect(sarifErrors(broken).length).toBeGreaterThan(0);
    const noMessage: Json = structuredClone(log);
    delete noMessage.runs[0].results[0].message;
    expect(sarifErrors(noMessage).length).toBeGreaterThan(0);
  });

  it('names the tool and has one rule per finding code seen, with the catalog text', () => {
    const run: Json = (sarifLog(probeSummary([...FINDINGS, FINDINGS[2]!]), TARGET) as Json).runs[0];
    expect(run.tool.driver).toMatchObject({ name: 'Vigil probe', version });
    expect(run.tool.driver.informationUri).toMatch(/^https:\/\//);
    const rules = run.tool.driver.rules;
    expect(rules.map((r: Json) => r.id)).toEqual([
      'AS_ISSUER_MISMATCH',
      'REFRESH_NOT_ROTATED',
      'REGISTRATION_AUTH_METHOD_UNADVERTISED',
      'WWW_AUTHENTICATE_NO_RESOURCE_METADATA',
    ]);
    const text = FINDING_TEXT.AS_ISSUER_MISMATCH;
    expect(rules[0]).toEqual({
      id: 'AS_ISSUER_MISMATCH',
      name: 'AsIssuerMismatch',
      shortDescription: { text: text.title },
      fullDescription: { text: `${text.title} (${text.spec.name}).` },
      help: { text: text.fix, markdown: `${text.fix}\n\nSpec: [${text.spec.name}](${text.spec.url})` },
      helpUri: text.spec.url,
      defaultConfiguration: { level: 'error' },
      properties: { severity: 'high', step: 'discovery' },
    });
    expect(rules.map((r: Json) => [r.defaultConfiguration.level, r.properties.severity])).toEqual([
      ['error', 'high'],
      ['warning', 'medium'],
      ['note', 'low'],
      ['note', 'info'],
    ]);
  });

  it('has one result per finding, most severe first, located at the MCP URL and the step', () => {
    const run: Json = (sarifLog(probeSummary(), TARGET) as Json).runs[0];
    const results = run.results;
    expect(results.map((r: Json) => [r.ruleId, r.level])).toEqual([
      ['AS_ISSUER_MISMATCH', 'error'],
      ['REFRESH_NOT_ROTATED', 'warning'],
      ['REGISTRATION_AUTH_METHOD_UNADVERTISED', 'note'],
      ['WWW_AUTHENTICATE_NO_RESOURCE_METADATA', 'note'],
    ]);
    for (const r of results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(results[0].message.text).toBe(
      `${FINDING_TEXT.AS_ISSUER_MISMATCH.title}: authorizationServer=http://127.0.0.1:1/tenant1 document=rfc8414 field=issuer metadataIssuer=http://127.0.0.1:1`,
    );
    expect(results[0].locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: TARGET } },
        logicalLocations: [{ name: 'discovery', fullyQualifiedName: 'probe/discovery', kind: 'step' }],
      },
    ]);
    expect(results[1].locations[0].logicalLocations[0].name).toBe('refresh');
    expect(results[0].properties).toEqual({
      severity: 'high',
      step: 'discovery',
      evidence: FINDINGS[2]!.evidence,
    });
    expect(results[0].partialFingerprints).toEqual({
      'vigilFinding/v1': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(run.invocations).toEqual([{ executionSuccessful: true }]);
  });

  it('is the same whatever order the findings come in', () => {
    const a = JSON.stringify(sarifLog(probeSummary(), TARGET));
    expect(JSON.stringify(sarifLog(probeSummary([...FINDINGS].reverse()), TARGET))).toBe(a);
  });

  it('keeps credentials, queries and fragments of the target and of evidence URLs out', () => {
    const summary = probeSummary([
      {
        code: 'PRM_RESOURCE_MISMATCH',
        severity: 'high',
        step: 'discovery',
        evidence: {
          resource: 'https://other.example/mcp?access_token=tok-123#frag',
          note: 'see https://x.example/a?k=key-9',
        },
      },
    ]);
    const log: Json = sarifLog(summary, 'https://user:pw-1@mcp.example.com/mcp?api_key=key-456#top-secret');
    const text = JSON.stringify(log);
    for (const secret of ['pw-1', 'user:', 'key-456', 'top-secret', 'tok-123', 'key-9', '#frag'])
      expect(text).not.toContain(secret);
    const result = log.runs[0].results[0];
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe(TARGET);
    expect(result.properties.evidence).toEqual({
      resource: 'https://other.example/mcp',
      note: 'see https://x.example/a',
    });
    expect(sarifErrors(log)).toEqual([]);
    // A password holding `?` or `#` is cut as a whole, not at its `?`.
    const odd: Json = sarifLog(summary, 'https://u:p?w#x-secret@mcp.example.com/mcp');
    expect(odd.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(TARGET);
  });

  it('without a summary: no results, an unsuccessful invocation, still valid', () => {
    const log: Json = sarifLog(null, TARGET);
    expect(sarifErrors(log)).toEqual([]);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules).toEqual([]);
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(log.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toContain('no summary');
  });

  it('a walk that stopped says which steps were not checked; an unknown code still renders', () => {
    const summary = probeSummary(
      [{ code: 'FUTURE_CODE' as Finding['code'], severity: 'medium', step: 'discovery', evidence: {} }],
      {
        ok: false,
        failedStep: 'registration',
        steps: [
          { step: 'discovery', ok: true, durationMs: 3 },
          { step: 'registration', ok: false, durationMs: 3, reason: 'strict_finding' },
        ],
        strict: 'medium',
      },
    );
    const log: Json = sarifLog(summary, TARGET);
    expect(sarifErrors(log)).toEqual([]);
    const invocation = log.runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.toolExecutionNotifications[0]).toMatchObject({ level: 'warning' });
    expect(invocation.toolExecutionNotifications[0].message.text).toContain('registration (strict_finding)');
    expect(log.runs[0].properties).toEqual({ walkOk: false, failedStep: 'registration', strict: 'medium' });
    expect(log.runs[0].tool.driver.rules[0]).toMatchObject({
      id: 'FUTURE_CODE',
      shortDescription: { text: 'FUTURE_CODE' },
      defaultConfiguration: { level: 'warning' },
    });
    expect(log.runs[0].results[0].message.text).toBe('FUTURE_CODE');
  });

  it('redactSecrets (the last guard before a file is written) replaces secret values, not `Bearer <word>`', () => {
    const log: Json = sarifLog(probeSummary(), TARGET);
    log.runs[0].results[0].properties.evidence.leak = 'x s3cret-value y';
    log.runs[0].properties = { ['s3cret-value']: ['s3cret-value', 1, true, null] };
    const text = JSON.stringify(redactSecrets(log, ['s3cret-value', 'abc', '']));
    expect(text).not.toContain('s3cret-value');
    expect(text).toContain('x [REDACTED] y');
    expect(text).toContain('{"[REDACTED]":["[REDACTED]",1,true,null]}');
    const fix = 'Send `WWW-Authenticate: Bearer resource_metadata="<PRM URL>"`';
    expect(redactSecrets({ fix }, ['abc'])).toEqual({ fix });
  });
});
