/**
 * Server-to-client streams over HTTP: the Streamable HTTP GET stream and the legacy HTTP+SSE
 * transport (GET /sse, read the `endpoint` event, POST there).
 *
 * k6/http buffers a response until it ends and k6 has no SSE client, so an open stream cannot be
 * read while it is open. Designed around that: a stream is *held* by a GET whose timeout is the
 * hold time (k6 reports the timeout as status 0 / error 1050 — for a stream that is success: the
 * server kept it open); a stream the server ends early is read whole and its `endpoint` event
 * parsed. Request names are templates; the session id travels in a header, not the URL.
 */
import type { Step } from '../catalog/index.ts';
import { describeResponse, K6_TIMEOUT_CODE, reasonForResponse, type AnyResponse } from './failures.ts';
import { header, send } from './http.ts';
import { parseSse } from './mcp-protocol.ts';

const STEP: Step = 'stream';

export type StreamOutcome =
  | { kind: 'held'; heldMs: number }
  | { kind: 'not_offered'; detail: string; status: number }
  | { kind: 'failed'; detail: string; reason: ReturnType<typeof reasonForResponse> };

/** The `endpoint` event of a legacy SSE body (the URL to POST JSON-RPC messages to). */
export function legacyEndpoint(body: string): string | undefined {
  return (
    parseSse(body)
      .find((e) => e.event === 'endpoint')
      ?.data.trim() || undefined
  );
}

function classifyHold(res: AnyResponse, holdMs: number, started: number): StreamOutcome {
  const elapsed = Date.now() - started;
  if (res.status === 0 && res.error_code === K6_TIMEOUT_CODE) return { kind: 'held', heldMs: elapsed };
  if (res.status === 404 || res.status === 405)
    return { kind: 'not_offered', detail: `HTTP ${res.status}`, status: res.status };
  const isStream = (header(res, 'Content-Type') ?? '').includes('text/event-stream');
  if (res.status === 200 && isStream && elapsed >= holdMs) return { kind: 'held', heldMs: elapsed };
  if (res.status === 200 && isStream) {
    // The stream ended, so k6 has its whole body: say whether it was a legacy SSE stream at least.
    const legacy = legacyEndpoint(typeof res.body === 'string' ? res.body : '') !== undefined;
    const detail = `the server ended the ${legacy ? 'legacy SSE stream (endpoint event seen)' : 'stream'} before the hold time`;
    return { kind: 'failed', detail, reason: 'unexpected_status' };
  }
  return { kind: 'failed', detail: describeResponse(res), reason: reasonForResponse(res) };
}

export interface StreamHold {
  url: string;
  token: string;
  holdMs: number;
  sessionId?: string;
  protocolVersion?: string;
  /** Request template for the `name` tag. */
  name: string;
}

/** Holds a GET event stream open for `holdMs`. */
export function holdEventStream({
  url,
  token,
  holdMs,
  sessionId,
  protocolVersion,
  name,
}: StreamHold): StreamOutcome {
  const headers: Record<string, string> = { Accept: 'text/event-stream', Authorization: `Bearer ${token}` };
  if (sessionId) headers['Mcp-Session-Id'] = sessionId;
  if (protocolVersion) headers['MCP-Protocol-Version'] = protocolVersion;
  const started = Date.now();
  const res = send('GET', url, null, { name, step: STEP, headers, timeout: holdMs });
  return classifyHold(res, holdMs, started);
}
