import type { Response } from 'express';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

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

/**
 * The SDK's own message schema: whatever passes here the SDK transports accept too. They answer
 * -32700 for a message they cannot parse even when it is valid JSON (an object id, say), so a
 * looser check here would let such bodies through to get the wrong code.
 */
function isMessage(value: unknown): value is JsonRpcShape {
  return JSONRPCMessageSchema.safeParse(value).success;
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
