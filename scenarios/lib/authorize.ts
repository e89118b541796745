/**
 * The authorization request (PKCE S256, state, resource, scope) walked by hand with redirects off,
 * until the redirect to REDIRECT_URI carries the code. A server may redirect straight back (the
 * reference target's default), or show a login page (form POST with configurable field names)
 * and a consent page (submitted as served).
 */
import type { CookieJar } from 'k6/http';
import type { Step } from '../catalog/index.ts';
import type { Config } from './config.ts';
import type { Discovery } from './discovery.ts';
import {
  describeResponse,
  fail,
  reasonForOAuthError,
  reasonForResponse,
  type AnyResponse,
} from './failures.ts';
import { FORM, header, send } from './http.ts';
import { isLoginForm, parseForms, type HtmlForm } from './html-form.ts';
import type { Pkce } from './pkce.ts';
import type { Client } from './registration.ts';
import { appendQuery, encodeForm, parseQuery, parseUrl, resolveUrl, withoutQuery } from './url.ts';

const STEP: Step = 'authorization';
/** Redirects and pages followed before giving up (a loop or an unexpected page). */
const MAX_HOPS = 12;

export interface AuthorizationRequest {
  config: Config;
  discovery: Discovery;
  client: Client;
  pkce: Pkce;
  state: string;
  scope?: string;
  jar: CookieJar;
}

export function authorizationUrl(req: AuthorizationRequest): string {
  return appendQuery(req.discovery.as.authorization_endpoint as string, {
    response_type: 'code',
    client_id: req.client.clientId,
    redirect_uri: req.config.redirectUri,
    code_challenge: req.pkce.challenge,
    code_challenge_method: req.pkce.method,
    state: req.state,
    scope: req.scope,
    resource: req.discovery.resource,
  });
}

function isRedirectUri(url: string, redirectUri: string): boolean {
  const target = parseUrl(url);
  const expected = parseUrl(redirectUri);
  return !!target && !!expected && withoutQuery(target) === withoutQuery(expected);
}

/** Reads the code from the callback URL, checking `state` and the OAuth error parameters. */
export function codeFromCallback(callbackUrl: string, state: string): string {
  const params = parseQuery(parseUrl(callbackUrl)?.query ?? '');
  if (params.error)
    fail(
      STEP,
      reasonForOAuthError(params.error) ?? 'authorization_denied',
      `authorization error ${params.error}`,
    );
  if (params.state !== state)
    fail(STEP, 'state_mismatch', 'state in the callback does not match the request');
  if (!params.code) fail(STEP, 'missing_code', 'callback carries no code');
  return params.code;
}

function submitForm(
  req: AuthorizationRequest,
  pageUrl: string,
  form: HtmlForm,
  asLogin: boolean,
): { res: AnyResponse; url: string } {
  const { config } = req;
  const fields: Record<string, string> = {};
  for (const field of form.fields) fields[field.name] = field.value;
  if (asLogin) {
    if (!config.loginUser || config.loginPassword === undefined)
      fail(STEP, 'login_failed', 'the server shows a login form but LOGIN_USER/LOGIN_PASSWORD are not set');
    fields[config.loginUserField] = config.loginUser;
    fields[config.loginPasswordField] = config.loginPassword;
  }
  const action = resolveUrl(pageUrl, form.action || pageUrl);
  if (!action) fail(STEP, 'unexpected_status', 'form action is not a usable URL');
  const res = send('POST', action, encodeForm(fields), {
    name: asLogin ? 'POST {login form}' : 'POST {consent form}',
    step: STEP,
    headers: FORM,
    jar: req.jar,
  });
  return { res, url: action };
}

/** Walks the authorization request to the callback and returns the code. */
export function authorize(req: AuthorizationRequest): string {
  let url = authorizationUrl(req);
  let res = send('GET', url, null, { name: 'GET {authorization_endpoint}', step: STEP, jar: req.jar });
  let loginsSubmitted = 0;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (res.status >= 300 && res.status < 400) {
      const next = resolveUrl(url, header(res, 'Location') ?? '');
      if (!next) fail(STEP, 'unexpected_status', `HTTP ${res.status} without a usable Location`);
      if (isRedirectUri(next, req.config.redirectUri)) return codeFromCallback(next, req.state);
      url = next;
      res = send('GET', url, null, { name: 'GET {authorization redirect}', step: STEP, jar: req.jar });
      continue;
    }
    if (res.status !== 200)
      fail(
        STEP,
        reasonForResponse(res) === 'unexpected_status' ? 'authorization_denied' : reasonForResponse(res),
        describeResponse(res),
        res.status,
      );
    const form = parseForms(typeof res.body === 'string' ? res.body : '').find((f) => f.method === 'post');
    if (!form) fail(STEP, 'unexpected_status', 'authorization page has neither a redirect nor a form');
    const login = isLoginForm(form, req.config.loginPasswordField);
    if (login && loginsSubmitted++ > 0)
      fail(STEP, 'login_failed', 'login form shown again after submitting credentials');
    ({ res, url } = submitForm(req, url, form, login));
  }
  return fail(STEP, 'unexpected_status', `no callback after ${MAX_HOPS} redirects or pages`);
}
