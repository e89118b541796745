/** RFC 6750 / RFC 9728 `WWW-Authenticate` parsing (the Bearer challenge only). */

export interface BearerChallenge {
  resourceMetadata?: string;
  scope?: string;
  error?: string;
  realm?: string;
  params: Record<string, string>;
}

const PARAM = /([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;

/**
 * The Bearer challenge of a `WWW-Authenticate` value (which may list several schemes);
 * undefined when there is none.
 */
export function parseBearerChallenge(value: string | undefined): BearerChallenge | undefined {
  if (!value) return undefined;
  const start = value.search(/(^|[\s,])Bearer(\s|$)/i);
  if (start < 0) return undefined;
  const afterScheme = value.slice(start).replace(/^[\s,]*Bearer/i, '');
  // Parameters run until the next scheme token (a bare word not followed by '=').
  const nextScheme = afterScheme.search(/,\s*[A-Za-z][\w-]*\s+[A-Za-z0-9_.-]+\s*=/);
  const paramsText = nextScheme >= 0 ? afterScheme.slice(0, nextScheme) : afterScheme;
  const params: Record<string, string> = {};
  for (const match of paramsText.matchAll(PARAM)) {
    const key = (match[1] ?? '').toLowerCase();
    const raw = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
    if (!(key in params)) params[key] = raw;
  }
  return {
    resourceMetadata: params.resource_metadata,
    scope: params.scope,
    error: params.error,
    realm: params.realm,
    params,
  };
}
