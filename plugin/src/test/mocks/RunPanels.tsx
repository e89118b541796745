/**
 * TEST DOUBLE for scenes/RunPanels/RunPanels.tsx in Jest: @grafana/scenes draws panels only inside a
 * started Grafana (plugin loading, the datasource service), which jsdom has not. It lists the panels
 * the page asked for with their real queries (RunPanels.utils.ts), so page tests can assert what
 * the panels would query; the real scenes run in the browser tests (plugin/test-host).
 */
import React from 'react';
import type { RunPanelsProps } from '../../scenes/RunPanels/RunPanels';
import { runPanels } from '../../scenes/RunPanels/RunPanels.utils';

export default function RunPanelsDouble({ run, prometheusUid, live }: RunPanelsProps) {
  return (
    <ul data-testid="run-panels" data-datasource={prometheusUid} data-live={String(live)}>
      {runPanels(run).map((panel) => (
        <li key={panel.id} data-testid={`panel-${panel.id}`}>
          {panel.title}
          {panel.queries.map((query) => (
            <code key={query.refId}>{query.expr}</code>
          ))}
        </li>
      ))}
    </ul>
  );
}
