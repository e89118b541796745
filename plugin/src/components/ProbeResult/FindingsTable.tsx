import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, TextLink, useStyles2 } from '@grafana/ui';
import type { Finding } from '../../api/types';
import { SEVERITY_COLORS, evidenceText, sortFindings } from './ProbeResult.utils';

/**
 * Spec findings: where the server deviates from the MCP authorization spec and the RFCs under it,
 * most severe first — severity, code, step, title, evidence, how to fix it, and the spec it comes from.
 */
export function FindingsTable({ findings }: { findings: readonly Finding[] }) {
  const styles = useStyles2(getStyles);
  return (
    <table className={styles.table} aria-label="Spec findings">
      <thead>
        <tr>
          <th>Severity</th>
          <th>Code</th>
          <th>Step</th>
          <th>Finding</th>
          <th>Fix</th>
          <th>Spec</th>
        </tr>
      </thead>
      <tbody>
        {sortFindings(findings).map((finding, index) => (
          <tr key={`${finding.code}-${finding.step}-${index}`}>
            <td>
              <Badge color={SEVERITY_COLORS[finding.severity]} text={finding.severity} />
            </td>
            <td>
              <code>{finding.code}</code>
            </td>
            <td>{finding.step}</td>
            <td>
              <div>{finding.title}</div>
              {Object.keys(finding.evidence).length > 0 && (
                <div className={styles.evidence}>
                  <code>{evidenceText(finding.evidence)}</code>
                </div>
              )}
            </td>
            <td className={styles.fix}>{finding.fix}</td>
            <td>
              <TextLink href={finding.spec.url} external>
                {finding.spec.name}
              </TextLink>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      verticalAlign: 'top',
      textAlign: 'left',
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  evidence: css({ color: theme.colors.text.secondary, marginTop: theme.spacing(0.5), wordBreak: 'break-all' }),
  fix: css({ maxWidth: '40ch' }),
});
