import { slosOfKind } from '@vigil/scenarios/catalog/slos.ts';
import { latencySlosOf, runPanels } from './RunPanels.utils';

describe('runPanels', () => {
  it("gives a load run a latency panel per SLO of its scenario's flows, against the SLO line", () => {
    const panels = runPanels({ id: 'run_1', scenario: 'oauth', kind: 'load' });
    const latency = panels.filter((panel) => panel.id.startsWith('latency-'));
    expect(latency.map((panel) => panel.id)).toEqual(
      latencySlosOf({ id: 'run_1', scenario: 'oauth', kind: 'load' }).map((slo) => `latency-${slo.id}`)
    );
    expect(latency.length).toBeGreaterThan(0);
    const [first] = latency;
    const slo = slosOfKind('latency').find((candidate) => `latency-${candidate.id}` === first.id)!;
    expect(first.queries.map((query) => query.legend)).toEqual([
      'p50',
      'p95',
      'p99',
      `SLO p${Math.round(slo.indicator.quantile * 100)} < ${slo.indicator.maxMs} ms`,
    ]);
    expect(first.queries.at(-1)!.expr).toContain(String(slo.indicator.maxMs / 1000));
    expect(panels.map((panel) => panel.id).slice(latency.length)).toEqual(['errors', 'throughput', 'vus', 'dropped']);
  });

  it("filters every per-run query by the run's testid", () => {
    for (const panel of runPanels({ id: 'run_42', scenario: 'mcp', kind: 'load' })) {
      for (const query of panel.queries.filter((candidate) => candidate.refId !== 'SLO')) {
        expect(query.expr).toContain('testid="run_42"');
      }
    }
  });

  it('narrows the latency panels to the workloads the run was limited to', () => {
    const slos = latencySlosOf({
      id: 'run_w',
      scenario: 'oauth',
      kind: 'load',
      overrides: { workloads: 'token_refresh' },
    });
    expect(slos.map((slo) => slo.flow)).toEqual(['token_refresh']);
  });

  it('gives a probe run every latency SLO (a walk times every flow once)', () => {
    expect(latencySlosOf({ id: 'run_p', scenario: 'probe', kind: 'probe' })).toEqual(slosOfKind('latency'));
  });
});
