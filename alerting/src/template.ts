/**
 * Alert annotation templates built from parts, so one definition yields both the Go template
 * Prometheus expands and the text the promtool tests expect for given labels and value. Only the
 * few template forms Vigil uses exist here; the formatters follow Prometheus' template functions
 * (template/template.go) for the values our tests use.
 */
import { DEFAULT_GRAFANA_URL, GRAFANA_URL_EXTERNAL_LABEL } from './settings.ts';

export type ValueFormat = 'humanize' | 'humanizeDuration' | 'humanizePercentage' | 'humanize1024';

export type TemplatePart =
  { text: string } | { label: string } | { value: ValueFormat } | { grafanaUrl: true };

export type Template = TemplatePart[];

export const text = (value: string): TemplatePart => ({ text: value });
export const label = (name: string): TemplatePart => ({ label: name });
export const value = (format: ValueFormat): TemplatePart => ({ value: format });
export const grafanaUrl: TemplatePart = { grafanaUrl: true };

/** The Go template text for Prometheus' rule annotations. */
export function toGoTemplate(template: Template): string {
  return template
    .map((part) => {
      if ('text' in part) return part.text;
      if ('label' in part) return `{{ $labels.${part.label} }}`;
      if ('value' in part) return `{{ $value | ${part.value} }}`;
      return `{{ with $externalLabels.${GRAFANA_URL_EXTERNAL_LABEL} }}{{ . }}{{ else }}${DEFAULT_GRAFANA_URL}{{ end }}`;
    })
    .join('');
}

/** Digits of |v| rounded to 4 significant digits the way Go does: exact decimal ties go to even. */
function roundG4(v: number): { digits: string; exponent: number } {
  const [longMantissa, longExponent] = Math.abs(v).toExponential(20).split('e') as [string, string];
  const all = longMantissa.replace('.', '');
  const tie = all[4] === '5' && /^0*$/.test(all.slice(5));
  if (tie && Number(all[3]) % 2 === 0) return { digits: all.slice(0, 4), exponent: Number(longExponent) };
  const [mantissa, exponent] = Math.abs(v).toExponential(3).split('e') as [string, string];
  return { digits: mantissa.replace('.', ''), exponent: Number(exponent) };
}

/** Go's `%.4g`: 4 significant digits, trailing zeros dropped, exponent form outside [1e-4, 1e4). */
export function goFormatG4(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  const { digits, exponent } = roundG4(v);
  const sign = v < 0 ? '-' : '';
  const strip = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exponent < -4 || exponent >= 4) {
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${strip(`${digits[0]}.${digits.slice(1)}`)}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const padded = exponent < 0 ? `${'0'.repeat(-exponent)}${digits}` : digits;
  const pointAt = exponent < 0 ? 1 : exponent + 1;
  return `${sign}${strip(`${padded.slice(0, pointAt)}.${padded.slice(pointAt)}`)}`;
}

function scaled(v: number, prefixes: string[], step: number, up: boolean): string {
  let prefix = '';
  for (const p of prefixes) {
    if (up ? Math.abs(v) < step : Math.abs(v) >= 1) break;
    prefix = p;
    v = up ? v / step : v * step;
  }
  return `${goFormatG4(v)}${prefix}`;
}

function humanizeDuration(v: number): string {
  if (v === 0) return '0s';
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    const abs = Math.abs(v);
    const whole = Math.trunc(abs);
    const [d, h, m, s] = [
      Math.trunc(whole / 86400),
      Math.trunc(whole / 3600) % 24,
      Math.trunc(whole / 60) % 60,
      whole % 60,
    ];
    if (d !== 0) return `${sign}${d}d ${h}h ${m}m ${s}s`;
    if (h !== 0) return `${sign}${h}h ${m}m ${s}s`;
    if (m !== 0) return `${sign}${m}m ${s}s`;
    return `${sign}${goFormatG4(abs)}s`;
  }
  return `${scaled(v, ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'], 1000, false)}s`;
}

export function formatValue(format: ValueFormat, v: number): string {
  switch (format) {
    case 'humanize':
      if (v === 0) return '0';
      return Math.abs(v) >= 1
        ? scaled(v, ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'], 1000, true)
        : scaled(v, ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'], 1000, false);
    case 'humanizeDuration':
      return humanizeDuration(v);
    case 'humanizePercentage':
      return `${goFormatG4(v * 100)}%`;
    case 'humanize1024':
      return Math.abs(v) <= 1
        ? goFormatG4(v)
        : scaled(v, ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi'], 1024, true);
  }
}

/** The text Prometheus renders for `labels` and `value` (no `grafana_url` external label set). */
export function render(template: Template, labels: Record<string, string>, v: number): string {
  return template
    .map((part) => {
      if ('text' in part) return part.text;
      if ('label' in part) return labels[part.label] ?? '';
      if ('value' in part) return formatValue(part.value, v);
      return DEFAULT_GRAFANA_URL;
    })
    .join('');
}
