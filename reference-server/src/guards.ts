import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';

/**
 * DNS-rebinding protection: the Host header must be one of the allowed host:port values and an
 * Origin, when sent, must be one of their http(s) origins. Hand-written because the SDK's
 * hostHeaderValidation ignores the port and does not look at Origin.
 */
export class HostGuard {
  private readonly hosts: Set<string>;
  private readonly origins: Set<string>;

  constructor(allowedHosts: string[]) {
    this.hosts = new Set(allowedHosts.map((host) => host.toLowerCase()));
    this.origins = new Set(
      allowedHosts.flatMap((host) => [`http://${host}`, `https://${host}`].map((o) => o.toLowerCase())),
    );
  }

  /** Why the request is refused, or undefined when it may pass. */
  refusal(req: IncomingMessage): string | undefined {
    const host = req.headers.host?.toLowerCase();
    if (!host || !this.hosts.has(host)) return `Host header not allowed: ${host ?? '(missing)'}`;
    const origin = req.headers.origin?.toLowerCase();
    // An opaque origin ("null") is never in the set, so it is refused like any foreign one.
    if (origin && !this.origins.has(origin)) return `Origin not allowed: ${origin}`;
    return undefined;
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      const refusal = this.refusal(req);
      if (!refusal) return next();
      res.status(403).json({ error: 'forbidden', error_description: refusal });
    };
  }
}

/** The loopback names clients may use for this port, plus the public URL's host. */
export function defaultAllowedHosts(port: number, publicUrl: string): string[] {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  hosts.push(new URL(publicUrl).host);
  return [...new Set(hosts)];
}
