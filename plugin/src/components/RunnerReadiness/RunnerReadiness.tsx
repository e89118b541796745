import React from 'react';
import { Alert } from '@grafana/ui';
import type { Readiness } from '../../api/types';

/** The runner's `/readyz` as a banner: ready, starting, or degraded with each problem and its message. */
export function RunnerReadiness({ readiness, detail }: { readiness: Readiness; detail?: React.ReactNode }) {
  if (readiness.status === 'ready') {
    return (
      <Alert severity="success" title="The runner is ready">
        {detail}
      </Alert>
    );
  }
  if (readiness.status === 'starting') {
    return (
      <Alert severity="info" title="The runner is starting">
        It answers once its store and scheduler are up; try again in a few seconds.
        {detail}
      </Alert>
    );
  }
  return (
    <Alert severity="warning" title="The runner is degraded: some runs and probes cannot start">
      <ul>
        {readiness.problems.map((problem) => (
          <li key={problem.code}>
            <code>{problem.code}</code>: {problem.message}
          </li>
        ))}
      </ul>
      {detail}
    </Alert>
  );
}
