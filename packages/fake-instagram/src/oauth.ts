import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendRawJson } from './http.js';
import type { FakeTokens } from './tokens.js';
import type { FakeOAuthSettings, FakeProfile } from './types.js';

/** Authorization codes are single-use and valid for 1 hour. */
const CODE_TTL_MS = 3600_000;

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  issuedAt: number;
  used: boolean;
}

export interface OAuthContext {
  settings: FakeOAuthSettings;
  tokens: FakeTokens;
  profile: FakeProfile;
  now: () => number;
  codes: Map<string, IssuedCode>;
}

/**
 * The legacy error shape of api.instagram.com, HTTP 400:
 * `{"error_type":"OAuthException","code":400,"error_message":"…"}`.
 */
export function sendOAuthError(res: ServerResponse, message: string, status = 400): void {
  sendJson(res, { error_type: 'OAuthException', code: status, error_message: message }, status);
}

/**
 * `GET /oauth/authorize` (www.instagram.com): the login dialog, minus the dialog. Valid requests
 * redirect straight to `redirect_uri?code=…&state=…#_` (or `?error=access_denied…` when the fake is
 * set to deny), so a test can play the browser.
 */
export function handleAuthorize(ctx: OAuthContext, req: IncomingMessage, res: ServerResponse, url: URL): void {
  if ((req.method ?? 'GET').toUpperCase() !== 'GET') return sendOAuthError(res, 'Invalid request: the login dialog is opened with GET');
  const params = url.searchParams;
  const clientId = params.get('client_id');
  const redirectUri = params.get('redirect_uri');
  const scopes = (params.get('scope') ?? '').split(/[\s,]+/).filter(Boolean);
  // UNVERIFIED wording: the live dialog shows an HTML error page for these.
  if (!clientId || clientId !== ctx.settings.appId)
    return sendOAuthError(res, 'Invalid Request: Request parameters are invalid: Invalid platform app');
  let target: URL;
  try {
    target = new URL(redirectUri ?? '');
  } catch {
    return sendOAuthError(res, 'Invalid Request: Request parameters are invalid: Invalid redirect_uri');
  }
  if (ctx.settings.redirectUris && !ctx.settings.redirectUris.includes(redirectUri!)) {
    return sendOAuthError(res, 'Invalid Request: Request parameters are invalid: Invalid redirect_uri');
  }
  if (params.get('response_type') !== 'code')
    return sendOAuthError(res, 'Invalid Request: Request parameters are invalid: response_type must be code');
  if (!scopes.includes('instagram_business_basic')) return sendOAuthError(res, 'Invalid Scopes: instagram_business_basic is required');

  const state = params.get('state');
  if (ctx.settings.deny) {
    target.searchParams.set('error', 'access_denied');
    target.searchParams.set('error_reason', 'user_denied');
    target.searchParams.set('error_description', 'The user denied your request');
    if (state !== null) target.searchParams.set('state', state);
    return redirect(res, target.toString());
  }
  const code = `AQ${randomBytes(48).toString('base64url')}`;
  ctx.codes.set(code, { clientId, redirectUri: redirectUri!, scopes, issuedAt: ctx.now(), used: false });
  target.searchParams.set('code', code);
  if (state !== null) target.searchParams.set('state', state);
  target.hash = '';
  // Instagram appends "#_" to the redirect; clients must strip it.
  return redirect(res, `${target.toString()}#_`);
}

/**
 * `POST /oauth/access_token` (api.instagram.com): code → short-lived token (1 hour). Errors use the
 * legacy shape. "Matching code was not found or was already used" is verbatim from Meta's
 * reference; the other messages are stand-ins (UNVERIFIED).
 */
export async function handleCodeExchange(ctx: OAuthContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if ((req.method ?? 'GET').toUpperCase() !== 'POST') return sendOAuthError(res, 'Invalid request: this endpoint only accepts POST');
  let form: FormData;
  try {
    form = await readForm(req);
  } catch {
    return sendOAuthError(res, 'Invalid request: the body is not a form');
  }
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  for (const name of ['client_id', 'client_secret', 'grant_type', 'redirect_uri', 'code']) {
    if (!field(name)) return sendOAuthError(res, `You must provide a ${name}`);
  }
  if (field('client_id') !== ctx.settings.appId) return sendOAuthError(res, 'Invalid platform app');
  if (field('client_secret') !== ctx.settings.appSecret) return sendOAuthError(res, 'Error validating client secret.');
  if (field('grant_type') !== 'authorization_code') return sendOAuthError(res, 'Unsupported grant_type: use authorization_code');

  const code = field('code')!.replace(/#_$/, '');
  const issued = ctx.codes.get(code);
  if (!issued || issued.used || ctx.now() - issued.issuedAt > CODE_TTL_MS || issued.clientId !== field('client_id')) {
    return sendOAuthError(res, 'Matching code was not found or was already used');
  }
  if (issued.redirectUri !== field('redirect_uri')) {
    return sendOAuthError(
      res,
      'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
    );
  }
  issued.used = true;
  const token = ctx.tokens.issue('short', issued.scopes);
  if (ctx.settings.codeExchangeShape === 'data') {
    // The reference's shape: wrapped in data, the id a string, the permissions comma-separated.
    return sendJson(res, { data: [{ access_token: token.token, user_id: ctx.profile.user_id, permissions: issued.scopes.join(',') }] });
  }
  // The observed shape: flat, permissions an array, user_id a bare number beyond 2^53 (JSON.parse rounds it).
  const userId = /^\d+$/.test(ctx.profile.user_id) ? ctx.profile.user_id : JSON.stringify(ctx.profile.user_id);
  return sendRawJson(
    res,
    `{"access_token":${JSON.stringify(token.token)},"user_id":${userId},"permissions":${JSON.stringify(issued.scopes)}}`,
  );
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Content-Length': 0 });
  res.end();
}

/** multipart/form-data or application/x-www-form-urlencoded, like the real endpoint takes. */
async function readForm(req: IncomingMessage): Promise<FormData> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  const type = req.headers['content-type'];
  if (type) headers.set('content-type', type);
  return new Request('http://fake.invalid/', { method: 'POST', headers, body: Buffer.concat(chunks) }).formData();
}
