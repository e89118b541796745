import React from 'react';
import { Alert, Badge, Stack, Text } from '@grafana/ui';
import type { ProbeResult, StrictLevel } from '../../api/types';
import { formatAge, formatMs } from '../../utils/format';
import { FindingsTable } from './FindingsTable';
import { StepsTable } from './StepsTable';

interface Props {
  result: ProbeResult;
  /** The probe's strict level, to say whether findings could fail the walk. */
  strict?: StrictLevel;
}

/**
 * One probe walk: whether a real client gets through (the verdict and the steps), and, apart from
 * it, where the server deviates from the spec (the findings). A result the runner could not produce
 * (runnerError) is shown as the runner's problem: it says nothing about the target.
 */
export function ProbeResultView({ result, strict }: Props) {
  if (result.runnerError) {
    return (
      <Alert severity="warning" title="The runner could not run this walk" data-testid="probe-runner-error">
        <div>
          <code>{result.runnerError.code}</code>: {result.runnerError.message}
        </div>
        <div>
          This is a problem of the runner, not of the target: the result says nothing about the MCP server, and it is
          not counted as a failed walk. Fix what the message says, then run the probe again.
        </div>
      </Alert>
    );
  }
  return (
    <Stack direction="column" gap={2}>
      <Stack gap={1} alignItems="center" wrap="wrap">
        {result.ok ? (
          <Badge color="green" text="walk passed" />
        ) : (
          <Badge color="red" text={`walk failed${result.failedStep ? ` at ${result.failedStep}` : ''}`} />
        )}
        <Text color="secondary">
          {formatAge(result.at)} · {formatMs(result.durationMs)}
          {result.tokenExpiresInSeconds !== null && ` · token valid for ${result.tokenExpiresInSeconds} s`}
        </Text>
      </Stack>
      <StepsTable steps={result.steps} />
      <Text element="h4">Spec findings ({result.findings.length})</Text>
      {result.findings.length === 0 ? (
        <Text color="secondary">No spec findings.</Text>
      ) : (
        <>
          <Text color="secondary">
            {strict && strict !== 'off'
              ? `This probe is strict: findings of severity ${strict} or worse fail the walk.`
              : 'Findings do not fail the walk (the probe is not strict); they alert on their own.'}
          </Text>
          <FindingsTable findings={result.findings} />
        </>
      )}
    </Stack>
  );
}
