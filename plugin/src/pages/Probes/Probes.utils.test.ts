import { makeProbe } from '../../test/fixtures';
import { operation } from '../../test/openapi';
import { validate } from '../../utils/form';
import {
  PROBE_LIMITS,
  STRICT_LEVELS,
  defaultProbeTimeoutSeconds,
  formToCreate,
  formToPatch,
  probeFormSchema,
  probeToForm,
} from './Probes.utils';

type JsonSchema = { minimum?: number; maximum?: number; enum?: string[]; properties?: Record<string, JsonSchema> };
const create = operation('/api/probes', 'post').requestBody!.content['application/json'].schema as JsonSchema;

describe('the probe form mirrors the runner (runner/openapi.json POST /api/probes)', () => {
  it('has the same interval and timeout bounds and strict levels', () => {
    const { intervalSeconds, timeoutSeconds, strict } = create.properties!;
    expect([PROBE_LIMITS.intervalMin, PROBE_LIMITS.intervalMax]).toEqual([
      intervalSeconds.minimum,
      intervalSeconds.maximum,
    ]);
    expect([PROBE_LIMITS.timeoutMin, PROBE_LIMITS.timeoutMax]).toEqual([
      timeoutSeconds.minimum,
      timeoutSeconds.maximum,
    ]);
    expect([...STRICT_LEVELS]).toEqual(strict.enum);
  });

  it('defaults the timeout as the runner does: 30 s, or just under a shorter interval', () => {
    expect(defaultProbeTimeoutSeconds(60)).toBe(30);
    expect(defaultProbeTimeoutSeconds(31)).toBe(30);
    expect(defaultProbeTimeoutSeconds(20)).toBe(19);
    expect(defaultProbeTimeoutSeconds(10)).toBe(9);
  });
});

describe('probeFormSchema', () => {
  const valid = { ...probeToForm(), name: 'p', targetId: 'tgt_1' };

  it.each([
    ['an interval under 10 s', { intervalSeconds: '9' }, 'intervalSeconds'],
    ['a fractional interval', { intervalSeconds: '30.5' }, 'intervalSeconds'],
    ['a timeout as long as the interval', { intervalSeconds: '30', timeoutSeconds: '30' }, 'timeoutSeconds'],
    ['a timeout over 600 s', { intervalSeconds: '3600', timeoutSeconds: '601' }, 'timeoutSeconds'],
    ['no target', { targetId: '' }, 'targetId'],
  ])('refuses %s', (_, change, field) => {
    expect(Object.keys(validate(probeFormSchema, { ...valid, ...change }))).toEqual([field]);
  });

  it("accepts an empty timeout when the runner's default fits (10 s interval → 9 s)", () => {
    expect(validate(probeFormSchema, { ...valid, intervalSeconds: '10', timeoutSeconds: '' })).toEqual({});
  });
});

describe('request bodies', () => {
  it('leaves an empty timeout out of a create, so the runner applies its default', () => {
    expect(formToCreate({ ...probeToForm(), name: 'p', targetId: 't', intervalSeconds: '20' })).toEqual({
      name: 'p',
      targetId: 't',
      intervalSeconds: 20,
      enabled: true,
      strict: 'off',
    });
  });

  it('patches only what changed; an emptied timeout becomes the default for the interval', () => {
    const probe = makeProbe({ intervalSeconds: 60, timeoutSeconds: 10 });
    expect(formToPatch(probeToForm(probe), probe)).toEqual({});
    expect(formToPatch({ ...probeToForm(probe), timeoutSeconds: '', enabled: false }, probe)).toEqual({
      timeoutSeconds: 30,
      enabled: false,
    });
  });
});
