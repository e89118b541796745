/** Reading a VigilSummary that k6's handleSummary wrote (a file, or a marked line of a pod's log). */
import { SUMMARY_STDOUT_MARKER, type VigilSummary } from '@vigil/scenarios/catalog';

/** The summary in `text`, or null when it is not JSON with the VigilSummary shape. */
export function parseSummary(text: string): VigilSummary | null {
  try {
    const parsed = JSON.parse(text) as VigilSummary;
    return parsed && typeof parsed === 'object' && Array.isArray(parsed.thresholds) ? parsed : null;
  } catch {
    return null;
  }
}

/** The summary printed on a SUMMARY_STDOUT_MARKER line of a log (the last such line), or null. */
export function summaryFromLog(log: string): VigilSummary | null {
  const line = log
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(SUMMARY_STDOUT_MARKER));
  return line ? parseSummary(line.slice(SUMMARY_STDOUT_MARKER.length)) : null;
}
