import type { ServerResponse } from 'node:http';
import { type GraphErrorBody, graphError, graphErrors, sendGraphError } from './errors.js';
import { type FieldSpec, parseFields } from './fields.js';
import { sendJson } from './http.js';
import type { FakeToken, FakeTokens } from './tokens.js';
import type { FakeFacebookPage, FakeOAuthSettings, FakeProfile } from './types.js';

/**
 * The Facebook-Login routes of graph.facebook.com, as Meta documents and users observe them:
 * `GET /debug_token`, `GET /oauth/access_token?grant_type=fb_exchange_token` and `GET /me/accounts`.
 * The fake serves every host on one origin; these answer whatever version prefix the path has.
 */
export interface FacebookContext {
  settings: FakeOAuthSettings;
  tokens: FakeTokens;
  profile: FakeProfile;
  pages: FakeFacebookPage[];
  now: () => number;
  /** One Page token per (User token, Page), as Graph hands back the same one on each call. */
  pageTokens: Map<string, string>;
}

/**
 * `GET /debug_token?input_token=…&access_token=<app id>|<app secret>`. A wrong app token is refused
 * with 190 "Invalid OAuth access token signature." (OAuthException); a dead input token is answered
 * 200 with `is_valid: false` and the reason in `data.error`. `expires_at: 0` means never.
 */
export function handleDebugToken(ctx: FacebookContext, res: ServerResponse, url: URL): void {
  const appToken = url.searchParams.get('access_token') ?? '';
  if (!appToken.includes('|')) return sendGraphError(res, graphErrors.invalidToken());
  if (appToken !== `${ctx.settings.appId}|${ctx.settings.appSecret}`) {
    return sendGraphError(res, graphError(190, 'Invalid OAuth access token signature.'));
  }
  const input = url.searchParams.get('input_token');
  if (!input) return sendGraphError(res, graphError(100, '(#100) The parameter input_token is required'));
  const entry = ctx.tokens.get(input);
  const failure = ctx.tokens.check(input);
  if (!entry || failure) {
    return sendJson(res, {
      data: {
        ...(entry ? describe(ctx, entry) : {}),
        error: { code: failure!.error.code, message: failure!.error.message, ...subcode(failure!) },
        is_valid: false,
        scopes: [],
      },
    });
  }
  return sendJson(res, { data: { ...describe(ctx, entry), is_valid: true } });
}

function describe(ctx: FacebookContext, entry: FakeToken): Record<string, unknown> {
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const page = entry.type === 'PAGE' ? ctx.pages.find((candidate) => ctx.pageTokens.get(`${candidate.id}`) === entry.token) : undefined;
  return {
    app_id: ctx.settings.appId,
    type: entry.type ?? 'USER',
    application: 'Fake Instagram App',
    // Data access lapses 90 days after the user last used the app (Graph: data access expiration).
    data_access_expires_at: seconds(entry.issuedAt) + 90 * 24 * 3600,
    expires_at: Number.isFinite(entry.expiresAt) ? seconds(entry.expiresAt) : 0,
    issued_at: seconds(entry.issuedAt),
    scopes: entry.type ? ['pages_show_list', 'instagram_basic', 'pages_read_engagement'] : ['instagram_business_basic'],
    user_id: entry.type ? '10160000000000001' : ctx.profile.user_id,
    ...(page ? { profile_id: page.id } : {}),
  };
}

function subcode(body: GraphErrorBody): { subcode?: number } {
  return body.error.error_subcode === undefined ? {} : { subcode: body.error.error_subcode };
}

/**
 * `GET /oauth/access_token?grant_type=fb_exchange_token&client_id&client_secret&fb_exchange_token`:
 * a User token → a long-lived one (60 days): `{"access_token","token_type":"bearer","expires_in"}`.
 * Wrong app id and secret get Graph's answers (101 "Error validating application…", 1 "Error validating client secret.").
 */
export function handleFacebookExchange(ctx: FacebookContext, res: ServerResponse, url: URL): void {
  const params = url.searchParams;
  if (params.get('client_id') !== ctx.settings.appId) {
    return sendGraphError(res, graphError(101, 'Error validating application. Invalid application ID.'));
  }
  if (params.get('client_secret') !== ctx.settings.appSecret) {
    return sendGraphError(res, graphError(1, 'Error validating client secret.'));
  }
  const input = params.get('fb_exchange_token') ?? undefined;
  const failure = ctx.tokens.check(input);
  if (failure) return sendGraphError(res, failure);
  if (ctx.tokens.get(input)!.type !== 'USER') {
    return sendGraphError(res, graphError(190, 'Invalid OAuth access token - Cannot parse access token'));
  }
  const long = ctx.tokens.issueFacebook('long-user');
  return sendJson(res, {
    access_token: long.token,
    token_type: 'bearer',
    expires_in: Math.round((long.expiresAt - ctx.now()) / 1000),
  });
}

/**
 * `GET /me/accounts` with a User token: the Pages the user has a task on, each with its Page token
 * and, when asked for, its linked `instagram_business_account{id,username}`.
 */
export function handleAccounts(ctx: FacebookContext, res: ServerResponse, url: URL, userToken: FakeToken): void {
  if (userToken.type !== 'USER') {
    return sendGraphError(
      res,
      graphError(100, '(#100) Tried accessing nonexisting field (accounts) on node type (Page)', undefined, { type: 'OAuthException' }),
    );
  }
  const specs = parseFields(url.searchParams.get('fields') || 'name,access_token,category,id,tasks');
  const data = ctx.pages.map((page) => {
    const out: Record<string, unknown> = {};
    for (const spec of specs) {
      if (spec.name === 'name') out.name = page.name;
      else if (spec.name === 'category') out.category = 'Product/service';
      else if (spec.name === 'tasks') out.tasks = ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'];
      else if (spec.name === 'access_token') out.access_token = pageToken(ctx, page, userToken);
      else if (spec.name === 'instagram_business_account' && page.instagram) {
        out.instagram_business_account = linkedAccount(ctx.profile, spec.fields);
      }
    }
    out.id = page.id;
    return out;
  });
  return sendJson(res, { data, paging: { cursors: { before: 'QVFIUbefore', after: 'QVFIUafter' } } });
}

function pageToken(ctx: FacebookContext, page: FakeFacebookPage, userToken: FakeToken): string {
  const key = `${userToken.token}:${page.id}`;
  let token = ctx.pageTokens.get(key);
  if (!token) {
    // A Page token fetched with a long-lived User token never expires; with a short-lived one it lives as long.
    token = ctx.tokens.issueFacebook('page', userToken.kind === 'long' ? Number.POSITIVE_INFINITY : userToken.expiresAt).token;
    ctx.pageTokens.set(key, token);
    ctx.pageTokens.set(`${page.id}`, token);
  }
  return token;
}

function linkedAccount(profile: FakeProfile, fields: FieldSpec[] | undefined): Record<string, unknown> {
  const names = new Set((fields ?? [{ name: 'id' }]).map((spec) => spec.name));
  return { ...(names.has('username') ? { username: profile.username } : {}), id: profile.user_id };
}
