import { WINDOW_MARGIN_MS, boundText, runWindow } from './RunDetail.utils';

describe('runWindow', () => {
  const startedAt = '2026-12-01T10:00:00.000Z';
  const start = Date.parse(startedAt);

  it('runs from a minute before the start to now while the run is going', () => {
    const now = start + 30_000;
    expect(runWindow({ createdAt: startedAt, startedAt, finishedAt: null }, now)).toEqual({
      from: start - WINDOW_MARGIN_MS,
      to: now,
    });
  });

  it('ends a minute after the end, even when that is still ahead (a range step after the last push)', () => {
    const finishedAt = '2026-12-01T10:00:02.000Z';
    const now = Date.parse(finishedAt) + 3_000;
    expect(runWindow({ createdAt: startedAt, startedAt, finishedAt }, now).to).toBe(
      Date.parse(finishedAt) + WINDOW_MARGIN_MS
    );
  });

  it('uses the creation time of a run that never started', () => {
    expect(runWindow({ createdAt: startedAt, startedAt: null, finishedAt: null }, start).from).toBe(
      start - WINDOW_MARGIN_MS
    );
  });
});

describe('boundText', () => {
  it('reads a trend bound in ms and leaves rates alone', () => {
    expect(boundText('p(95)<200')).toBe('p(95) < 200 ms');
    expect(boundText('rate>=0.99')).toBe('rate >= 0.99');
  });
});
