import { makeFailedResult, makeProbe, makeResult, makeRunnerErrorResult } from '../../test/fixtures';
import { probeGrid } from './Overview.utils';

describe('probeGrid', () => {
  it('has a column per step any last walk has, in the walk order', () => {
    const refreshed = makeResult({
      steps: [
        { step: 'discovery', ok: true, durationMs: 10 },
        { step: 'refresh', ok: true, durationMs: 12 },
        { step: 'stream', ok: true, durationMs: 0, skipped: true, detail: 'server answered 404 to GET' },
      ],
    });
    const grid = probeGrid([makeProbe({ lastResult: refreshed }), makeProbe({ lastResult: makeResult() })], []);
    expect(grid.steps).toEqual([
      'discovery',
      'registration',
      'authorization',
      'token',
      'initialize',
      'tools_list',
      'tools_call',
      'refresh',
      'stream',
    ]);
    expect(grid.rows[0].cells.stream).toEqual({ state: 'skipped', text: 'server answered 404 to GET' });
    expect(grid.rows[0].cells.refresh).toEqual({ state: 'ok', text: '12 ms' });
    expect(grid.rows[0].cells.token).toEqual({ state: 'not_reached', text: 'not reached' });
  });

  it('puts failing probes first, then sorts by target and name; no cells without a walk', () => {
    const targets = [
      { id: 'a', name: 'alpha' },
      { id: 'b', name: 'beta' },
    ];
    const grid = probeGrid(
      [
        makeProbe({ name: 'z', targetId: 'a', lastResult: makeResult() }),
        makeProbe({ name: 'y', targetId: 'b', lastResult: makeFailedResult('token', 'invalid_grant') }),
        makeProbe({ name: 'x', targetId: 'a', lastResult: null }),
        makeProbe({ name: 'w', targetId: 'gone', lastResult: makeRunnerErrorResult() }),
      ],
      targets
    );
    expect(grid.rows.map((row) => `${row.targetName}/${row.probe.name}`)).toEqual([
      'beta/y',
      'alpha/x',
      'alpha/z',
      'gone/w',
    ]);
    expect(grid.rows[0].cells.token).toEqual({ state: 'failed', text: 'invalid_grant' });
    expect(grid.rows[1].cells.token).toBeUndefined();
    expect(grid.rows[3].cells.discovery).toBeUndefined();
  });
});
