import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { TargetMetrics } from './metrics.ts';

/** JSON-RPC methods that become label values; anything else is 'other' (labels stay bounded). */
const KNOWN_METHODS = new Set([
  'initialize',
  'ping',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/read',
  'resources/templates/list',
  'prompts/list',
  'prompts/get',
  'logging/setLevel',
  'completion/complete',
]);

export function methodLabel(method: string): string {
  return KNOWN_METHODS.has(method) ? method : 'other';
}

/**
 * Times each JSON-RPC request from arrival to its response, whatever the transport, by wrapping
 * the transport the SDK's Server reads from and writes to. Call after server.connect().
 */
export function instrumentTransport(
  transport: Transport,
  transportLabel: string,
  metrics: TargetMetrics,
): void {
  const pending = new Map<string | number, { method: string; started: number }>();
  const receive = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if ('method' in message && 'id' in message && message.id !== undefined) {
      pending.set(message.id, { method: methodLabel(message.method), started: performance.now() });
    }
    receive?.(message, extra);
  };
  const send = transport.send.bind(transport);
  transport.send = (message: JSONRPCMessage, options) => {
    if (('result' in message || 'error' in message) && message.id !== undefined) {
      const request = pending.get(message.id);
      if (request) {
        pending.delete(message.id);
        metrics.mcpDuration.observe(
          { method: request.method, transport: transportLabel },
          (performance.now() - request.started) / 1000,
        );
      }
    }
    return send(message, options);
  };
}
