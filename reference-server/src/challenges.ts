import type { RequestHandler, Response } from 'express';
import type { TargetVariant } from './config.ts';

/** The variants that shape the MCP endpoints' Bearer challenges. */
export type ChallengeVariant = Pick<TargetVariant, 'challengeHeader' | 'insufficientScopeChallenge'>;

/**
 * The WWW-Authenticate value of a 401 (`invalid_token`) or 403 (`insufficient_scope`) the server
 * builds itself (the step-up 403, `authRequiredFrom: 'tools_call_403'`, the WebSocket upgrade);
 * undefined: send no header (a 401 with `challengeHeader: false`). `scope` is left out of 403s
 * with `insufficientScopeChallenge: 'without_scope'`; 401s always name it.
 */
export function bearerChallenge(
  variant: ChallengeVariant,
  error: 'invalid_token' | 'insufficient_scope',
  scopes: string[],
  resourceMetadataUrl: string | undefined,
): string | undefined {
  if (error === 'invalid_token' && !variant.challengeHeader) return undefined;
  let challenge = `Bearer error="${error}"`;
  if (error === 'invalid_token' || variant.insufficientScopeChallenge === 'with_scope') {
    challenge += `, scope="${scopes.join(' ')}"`;
  }
  if (resourceMetadataUrl) challenge += `, resource_metadata="${resourceMetadataUrl}"`;
  return challenge;
}

const SCOPE_PARAMETER = /,\s*scope="[^"]*"/;

function adjustSdkChallenge(res: Response, status: number, variant: ChallengeVariant) {
  const challenge = res.getHeader('www-authenticate');
  if (typeof challenge !== 'string') return;
  if (status === 401 && !variant.challengeHeader) res.removeHeader('www-authenticate');
  if (status === 403 && variant.insufficientScopeChallenge === 'without_scope') {
    res.setHeader('www-authenticate', challenge.replace(SCOPE_PARAMETER, ''));
  }
}

/**
 * The SDK's requireBearerAuth writes its challenge itself (error, error_description, scope =
 * its requiredScopes, resource_metadata) and has no option to leave out the header or the scope;
 * dropping requiredScopes would take the scope out of its 401s as well, and the mcp:tools check
 * with it. So with `challengeHeader: false` or `insufficientScopeChallenge: 'without_scope'` its
 * refusals are adjusted as their head is written: a 401 loses WWW-Authenticate (the JSON body
 * stays), a 403 loses the `scope` parameter. Only while the middleware runs: once it passes the
 * request on, the response is left alone. The default server gets the middleware unwrapped.
 */
export function withChallengeVariant(bearer: RequestHandler, variant: ChallengeVariant): RequestHandler {
  if (variant.challengeHeader && variant.insufficientScopeChallenge === 'with_scope') return bearer;
  return (req, res, next) => {
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: unknown[]) {
      adjustSdkChallenge(res, typeof args[0] === 'number' ? args[0] : res.statusCode, variant);
      return (writeHead as (...rest: unknown[]) => Response).apply(this, args);
    } as Response['writeHead'];
    void bearer(req, res, (error?: unknown) => {
      res.writeHead = writeHead;
      next(error);
    });
  };
}
