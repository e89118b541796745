import { describe, expect, it } from 'vitest';
import { promQuery, startAlertmanager, startPrometheus, startRedis } from '../src/index.ts';

describe('testkit services', () => {
  it('starts and stops a real redis-server', async () => {
    const redis = await startRedis();
    expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    await redis.stop();
    expect(redis.process.exitCode !== null || redis.process.signalCode !== null).toBe(true);
  });

  it('starts a real Prometheus and Alertmanager that answer queries', async () => {
    const prometheus = await startPrometheus({ config: 'global:\n  scrape_interval: 1s\n' });
    const alertmanager = await startAlertmanager('route:\n  receiver: none\nreceivers:\n  - name: none\n');
    try {
      const result = await promQuery(prometheus.url, 'vector(42)');
      expect(result[0]?.value?.[1]).toBe('42');
      const status = await fetch(`${alertmanager.url}/api/v2/status`);
      expect(status.ok).toBe(true);
    } finally {
      await prometheus.stop();
      await alertmanager.stop();
    }
  }, 60_000);
});
