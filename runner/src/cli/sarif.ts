/**
 * `vigil probe --sarif <file>`: the probe's spec findings as a SARIF 2.1.0 log, for code-scanning
 * UIs (GitHub, Azure DevOps, the SARIF viewers). A pure function of the summary and the target's
 * MCP URL: one run, a rule per finding code seen (text from the catalog's FINDING_TEXT), a result
 * per finding located at the MCP URL (credentials, query and fragment removed) and the step, and
 * one invocation. Nothing else from the run goes in: no log, no command line, no environment.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  FINDINGS,
  type Finding,
  type FindingEvidence,
  type FindingSeverity,
  type VigilSummary,
} from '@vigil/scenarios/catalog';
import { evidenceText, safeEvidence, safeUrl, sortedFindings, textOf } from './findings.ts';

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string; homepage?: string };

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_TOOL_NAME = 'Vigil probe';
/**
 * Where people read about the tool: runner/package.json's `homepage` once there is one; until then
 * the MCP authorization spec the probe checks servers against.
 */
export const SARIF_INFORMATION_URI =
  pkg.homepage ?? 'https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization';

export type SarifLevel = 'error' | 'warning' | 'note';

/** high → error, medium → warning, low and info → note. */
export const SARIF_LEVEL: Record<FindingSeverity, SarifLevel> = {
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

const levelOf = (severity: string): SarifLevel => SARIF_LEVEL[severity as FindingSeverity] ?? 'warning';

interface SarifText {
  text: string;
  markdown?: string;
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifText;
  fullDescription: SarifText;
  help: SarifText;
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { severity: string; step?: string };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifText;
  locations: Array<{
    physicalLocation: { artifactLocation: { uri: string } };
    logicalLocations: Array<{ name: string; fullyQualifiedName: string; kind: string }>;
  }>;
  partialFingerprints: Record<string, string>;
  properties: { severity: string; step: string; evidence: FindingEvidence };
}

export interface SarifNotification {
  level: SarifLevel;
  message: SarifText;
}

export interface SarifInvocation {
  executionSuccessful: boolean;
  toolExecutionNotifications?: SarifNotification[];
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: Array<{
    tool: {
      driver: { name: string; version: string; informationUri: string; rules: SarifRule[] };
    };
    invocations: SarifInvocation[];
    results: SarifResult[];
    properties?: Record<string, unknown>;
  }>;
}

/** `AS_ISSUER_MISMATCH` → `AsIssuerMismatch` (SARIF's rule name: an identifier, not a sentence). */
function ruleName(code: string): string {
  return code
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function ruleFor(finding: Finding): SarifRule {
  const text = textOf(finding.code);
  const known = (FINDINGS as Partial<Record<string, { severity: FindingSeverity; step: string }>>)[
    finding.code
  ];
  const severity = known?.severity ?? finding.severity;
  const spec = text.spec.url ? `[${text.spec.name}](${text.spec.url})` : '';
  return {
    id: finding.code,
    name: ruleName(finding.code),
    shortDescription: { text: text.title },
    fullDescription: { text: text.spec.name ? `${text.title} (${text.spec.name}).` : text.title },
    help: {
      text: text.fix || text.title,
      markdown: [text.fix || text.title, spec && `Spec: ${spec}`].filter(Boolean).join('\n\n'),
    },
    ...(text.spec.url ? { helpUri: text.spec.url } : {}),
    defaultConfiguration: { level: levelOf(severity) },
    properties: { severity, ...(known?.step ? { step: known.step } : {}) },
  };
}

/** The same finding at the same URL and step is the same result from one walk to the next. */
function fingerprint(finding: Finding, uri: string): string {
  return createHash('sha256').update(`${finding.code}\n${finding.step}\n${uri}`).digest('hex');
}

export function sarifLog(summary: VigilSummary | null, targetUrl: string): SarifLog {
  const uri = safeUrl(targetUrl);
  const probe = summary?.probe;
  const findings = sortedFindings(probe?.findings);
  const codes = [...new Set(findings.map((f) => f.code))].sort();
  const rules = codes.map((code) => ruleFor(findings.find((f) => f.code === code)!));
  const results: SarifResult[] = findings.map((f) => {
    const title = textOf(f.code).title;
    const evidence = evidenceText(f.evidence);
    return {
      ruleId: f.code,
      ruleIndex: codes.indexOf(f.code),
      level: levelOf(f.severity),
      message: { text: evidence ? `${title}: ${evidence}` : title },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri } },
          logicalLocations: [{ name: f.step, fullyQualifiedName: `probe/${f.step}`, kind: 'step' }],
        },
      ],
      partialFingerprints: { 'vigilFinding/v1': fingerprint(f, uri) },
      properties: { severity: f.severity, step: f.step, evidence: safeEvidence(f.evidence) },
    };
  });

  const invocation: SarifInvocation = { executionSuccessful: Boolean(probe) };
  if (!probe)
    invocation.toolExecutionNotifications = [
      { level: 'error', message: { text: 'the probe wrote no summary: nothing was checked' } },
    ];
  else if (probe.failedStep) {
    const reason = probe.steps.find((s) => s.step === probe.failedStep)?.reason;
    invocation.toolExecutionNotifications = [
      {
        level: 'warning',
        message: {
          text: `the walk stopped at ${probe.failedStep}${reason ? ` (${reason})` : ''}: the steps after it were not checked`,
        },
      },
    ];
  }

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: SARIF_TOOL_NAME,
            version: pkg.version,
            informationUri: SARIF_INFORMATION_URI,
            rules,
          },
        },
        invocations: [invocation],
        results,
        ...(probe
          ? {
              properties: {
                walkOk: probe.ok,
                ...(probe.failedStep ? { failedStep: probe.failedStep } : {}),
                ...(probe.strict ? { strict: probe.strict } : {}),
              },
            }
          : {}),
      },
    ],
  };
}
