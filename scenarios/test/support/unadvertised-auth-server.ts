/**
 * TEST DOUBLE: an authorization server whose dynamic registration assigns a token endpoint auth
 * method (client_secret_post) that its metadata does not list (only `none`). The reference server
 * always lists what it assigns, so this double shows the probe's finding. It serves discovery and
 * registration only: the walk stops at authorization (there is no authorization endpoint).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UnadvertisedAuthServer {
  mcpUrl: string;
  close(): Promise<void>;
}

export async function startUnadvertisedAuthServer(): Promise<UnadvertisedAuthServer> {
  let origin = '';
  const server = http.createServer((req, res) => {
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
    if (req.url === '/mcp')
      return json(
        401,
        { error: 'invalid_token' },
        {
          'WWW-Authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`,
        },
      );
    if (req.url === '/.well-known/oauth-protected-resource/mcp')
      return json(200, { resource: `${origin}/mcp`, authorization_servers: [origin] });
    if (req.url === '/.well-known/oauth-authorization-server')
      return json(200, {
        issuer: origin,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
        registration_endpoint: `${origin}/register`,
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
      });
    if (req.url === '/register' && req.method === 'POST')
      return json(201, {
        client_id: 'unadvertised-client',
        client_secret: 'unadvertised-secret-value',
        token_endpoint_auth_method: 'client_secret_post',
      });
    return json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    mcpUrl: `${origin}/mcp`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
