import express, { type Router } from 'express';
import type Provider from 'oidc-provider';
import { underIssuerPath } from './auth-server.ts';
import type { ResolvedConfig } from './config.ts';

export interface MetadataContext {
  config: ResolvedConfig;
  provider: Provider;
  origin: string;
  mcpResource: string;
  issuer: string;
}

export const CUSTOM_PRM_PATH = '/prm-custom';

/**
 * The PRM URL the 401/403 challenges name (undefined: a 2025-03-26 server without PRM, or one that
 * serves its PRM at the well-known URL only). Every challenge takes it from here, so
 * `challengeResourceMetadata` cannot miss a transport; where the PRM is served is prmPaths' business.
 */
export function resourceMetadataUrl({
  config,
  origin,
}: Pick<MetadataContext, 'config' | 'origin'>): string | undefined {
  if (!config.variant.challengeResourceMetadata) return undefined;
  switch (config.variant.prm) {
    case 'path':
      return `${origin}/.well-known/oauth-protected-resource/mcp`;
    case 'root':
      return `${origin}/.well-known/oauth-protected-resource`;
    case 'custom':
      return `${origin}${CUSTOM_PRM_PATH}`;
    case 'none':
      return undefined;
  }
}

function prmPaths(prm: ResolvedConfig['variant']['prm']): string[] {
  switch (prm) {
    case 'path':
      return ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'];
    case 'root':
      return ['/.well-known/oauth-protected-resource'];
    case 'custom':
      return [CUSTOM_PRM_PATH];
    case 'none':
      return [];
  }
}

/**
 * Discovery documents. Hand-written instead of the SDK's mcpAuthMetadataRouter because the
 * variants need what it cannot do: PRM only at the root or at a custom URL, no PRM at all, a
 * wrong `resource`, an issuer with a path (path-aware RFC 8414 / OpenID URLs), and serving only
 * one of the two AS metadata documents. The AS document itself comes from oidc-provider's own
 * discovery endpoint, so it always describes what the provider really does.
 */
export function metadataRouter(context: MetadataContext): Router {
  const { config, provider } = context;
  const { variant } = config;
  const router = express.Router();
  const protectedResource = {
    resource: variant.prmResource ?? context.mcpResource,
    authorization_servers: [context.issuer],
    scopes_supported: config.scopes,
    bearer_methods_supported: ['header'],
    resource_name: 'Vigil reference MCP target',
  };
  for (const path of prmPaths(variant.prm)) {
    router.get(path, (_req, res) => {
      res.set('Access-Control-Allow-Origin', '*').json(protectedResource);
    });
  }

  const base = variant.issuerPath;
  const serveDiscovery = underIssuerPath(provider, base, '/.well-known/openid-configuration');
  const notFound: express.RequestHandler = (_req, res) => {
    res.status(404).json({ error: 'not_found' });
  };

  const oauthPaths = [`/.well-known/oauth-authorization-server${base}`];
  // A 2025-03-26 client looks for AS metadata at the MCP server's origin root.
  if (variant.prm === 'none' && base) oauthPaths.push('/.well-known/oauth-authorization-server');
  const openidPaths = [`${base}/.well-known/openid-configuration`];
  if (base) openidPaths.push(`/.well-known/openid-configuration${base}`);

  const serveOauth = variant.asMetadata !== 'openid';
  const serveOpenid = variant.asMetadata !== 'oauth';
  for (const path of oauthPaths) router.get(path, serveOauth ? serveDiscovery : notFound);
  // oidc-provider answers its own OpenID path; the router must shadow it when the variant hides it.
  for (const path of openidPaths) router.get(path, serveOpenid ? serveDiscovery : notFound);
  return router;
}
