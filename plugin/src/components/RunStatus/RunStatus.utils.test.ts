import { readFileSync } from 'node:fs';
import { OPENAPI_PATH } from '../../test/openapi';
import { RUN_STATUSES, STATUS_DISPLAY, formatProgress, runDurationSeconds } from './RunStatus.utils';

describe('run statuses', () => {
  it("are the runner's, as its OpenAPI document lists them", () => {
    const openapi = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
    const schema = openapi.paths['/api/runs/{id}'].get.responses['200'].content['application/json'].schema;
    expect([...RUN_STATUSES].sort()).toEqual([...schema.properties.status.enum].sort());
    expect(Object.keys(STATUS_DISPLAY).sort()).toEqual([...RUN_STATUSES].sort());
  });

  it('read as progress and duration', () => {
    expect(formatProgress({ status: 'running', progress: 0.426 })).toBe('43%');
    expect(formatProgress({ status: 'passed', progress: 1 })).toBe('');
    expect(runDurationSeconds({ startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:30Z' })).toBe(90);
    expect(runDurationSeconds({ startedAt: null, finishedAt: null })).toBeUndefined();
  });
});
