import type { Response } from 'express';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
/** Server-defined error range (JSON-RPC reserves -32000..-32099 for implementation errors). */
export const SERVER_ERROR = -32000;
export const SESSION_NOT_FOUND = -32001;

export function sendJsonRpcError(
  res: Response,
  httpStatus: number,
  code: number,
  message: string,
  id: unknown = null,
) {
  res.status(httpStatus).json({ jsonrpc: '2.0', error: { code, message }, id });
}

export interface JsonRpcShape {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

function isMessage(value: unknown): value is JsonRpcShape {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const message = value as JsonRpcShape;
  if (message.jsonrpc !== '2.0') return false;
  if (typeof message.method === 'string') return true;
  return 'id' in message && ('result' in message || 'error' in message);
}

/** The messages of a body (one or a batch), or undefined when it is not JSON-RPC 2.0 (→ -32600). */
export function jsonRpcMessages(body: unknown): JsonRpcShape[] | undefined {
  const messages = Array.isArray(body) ? body : [body];
  if (messages.length === 0 || !messages.every(isMessage)) return undefined;
  return messages as JsonRpcShape[];
}

export function isInitialize(messages: JsonRpcShape[]): boolean {
  return messages.some((message) => message.method === 'initialize');
}

export function calledTool(message: JsonRpcShape): string | undefined {
  if (message.method !== 'tools/call' || !message.params || typeof message.params !== 'object')
    return undefined;
  const name = (message.params as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

export type { JSONRPCMessage };
