/**
 * MCP wire details shared by the transports: JSON-RPC messages, request headers and the parsing
 * of JSON or SSE answers. k6/http buffers a response, so an SSE answer to a POST (a stream the
 * server closes after the last message) arrives whole and is parsed here.
 */

import { MCP_CLIENT_PROTOCOL_VERSION } from '../catalog/protocol.ts';

/** The revision this client asks for; the server may answer with another it supports. */
export const CLIENT_PROTOCOL_VERSION = MCP_CLIENT_PROTOCOL_VERSION;
export const CLIENT_INFO = { name: 'vigil-k6', version: '0.1.0' };

export interface JsonRpcMessage {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message?: string };
}

export const INITIALIZE_REQUEST: JsonRpcMessage = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: CLIENT_PROTOCOL_VERSION, capabilities: {}, clientInfo: CLIENT_INFO },
};

export interface SessionHeaders {
  token?: string;
  sessionId?: string;
  protocolVersion?: string;
}

export function mcpHeaders({ token, sessionId, protocolVersion }: SessionHeaders): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: 'application/json, text/event-stream',
    'Content-Type': 'application/json',
  };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (sessionId) headers['Mcp-Session-Id'] = sessionId;
  if (protocolVersion) headers['MCP-Protocol-Version'] = protocolVersion;
  return headers;
}

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** Parses a buffered `text/event-stream` body into events (comments and retry lines ignored). */
export function parseSse(body: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of String(body ?? '').split(/\r?\n\r?\n/)) {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    if (data.length > 0) events.push({ event, data: data.join('\n'), id });
  }
  return events;
}

/** JSON-RPC messages of a JSON body (single or batch) or of an SSE body's `message` events. */
export function messagesFromBody(
  contentType: string | undefined,
  body: string,
): JsonRpcMessage[] | undefined {
  const parseJson = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  if ((contentType ?? '').toLowerCase().includes('text/event-stream')) {
    const messages: JsonRpcMessage[] = [];
    for (const event of parseSse(body)) {
      if (event.event !== 'message') continue;
      const parsed = parseJson(event.data);
      if (parsed && typeof parsed === 'object') messages.push(...(Array.isArray(parsed) ? parsed : [parsed]));
    }
    return messages;
  }
  const parsed = parseJson(body);
  if (!parsed || typeof parsed !== 'object') return undefined;
  return (Array.isArray(parsed) ? parsed : [parsed]) as JsonRpcMessage[];
}

/**
 * Canonical JSON (keys sorted at every level) so that the tools/list hash only changes when the
 * tool schema does, not when a server reorders keys.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
