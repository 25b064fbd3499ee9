import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CdnSigner } from './cdn.js';
import { graphError, graphErrors, sendGraphError } from './errors.js';
import { type FacebookContext, handleAccounts, handleDebugToken, handleFacebookExchange } from './facebook.js';
import { MEDIA_NODE, type ProjectContext, projectChild, projectMedia, projectUser, USER_NODE, unknownField } from './field-projection.js';
import { type FieldSpec, FieldSyntaxError, parseFields } from './fields.js';
import { sendJson } from './http.js';
import { handleAuthorize, handleCodeExchange, type OAuthContext } from './oauth.js';
import { decodeCursor, encodeCursor, pageOf, sortNewestFirst } from './paging.js';
import { toMs } from './timefmt.js';
import type { FakeToken, FakeTokens } from './tokens.js';
import type { FakeMedia, FakeProfile, FakeScenario } from './types.js';

export interface ApiContext {
  origin: string;
  tokens: FakeTokens;
  apiVersion: string;
  signer: CdnSigner;
  state: { media: FakeMedia[]; tagged: FakeMedia[]; profile: FakeProfile };
  oauth: OAuthContext;
  facebook: FacebookContext;
  scenario: FakeScenario;
}

export interface ApiRoute {
  /**
   * Short name for stats: me, media, tags, media-item, children, refresh-token, access-token, oauth-token,
   * fb-exchange-token, debug-token, accounts, unknown.
   */
  name: string;
  /** Version prefix as requested ('v25.0') or undefined. */
  version: string | undefined;
  /** Path without the version prefix. */
  path: string;
  segments: string[];
}

const VERSION = /^\/(v\d+\.\d+)(?=\/|$)/;

export function resolveApiRoute(pathname: string, ctx: ApiContext, method = 'GET', query?: URLSearchParams): ApiRoute {
  const version = VERSION.exec(pathname)?.[1];
  const path = version ? pathname.slice(version.length + 1) || '/' : pathname;
  const segments = path.split('/').filter(Boolean);
  const [first, second] = segments;
  const { profile } = ctx.state;
  const isUser = first === 'me' || first === profile.user_id || first === profile.id;
  let name = 'unknown';
  if (segments.length === 2 && first === 'oauth' && second === 'authorize') name = 'oauth-authorize';
  else if (segments.length === 2 && first === 'oauth' && second === 'access_token')
    // graph.facebook.com answers GET with fb_exchange_token; api.instagram.com takes the login code by POST.
    name = method.toUpperCase() === 'GET' && query?.get('grant_type') === 'fb_exchange_token' ? 'fb-exchange-token' : 'oauth-token';
  else if (segments.length === 1 && first === 'debug_token') name = 'debug-token';
  else if (segments.length === 2 && first === 'me' && second === 'accounts') name = 'accounts';
  else if (segments.length === 1 && first === 'refresh_access_token') name = 'refresh-token';
  else if (segments.length === 1 && first === 'access_token') name = 'access-token';
  else if (segments.length === 1 && isUser) name = 'me';
  else if (segments.length === 1 && first && /^\d+$/.test(first)) name = 'media-item';
  else if (segments.length === 2 && second === 'media' && isUser) name = 'media';
  else if (segments.length === 2 && second === 'tags' && isUser) name = 'tags';
  else if (segments.length === 2 && second === 'children' && first && /^\d+$/.test(first)) name = 'children';
  return { name, version, path, segments };
}

function tokenOf(req: IncomingMessage, url: URL): string | undefined {
  const fromQuery = url.searchParams.get('access_token');
  if (fromQuery !== null) return fromQuery;
  const auth = req.headers.authorization;
  const match = auth ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(auth) : null;
  return match?.[1]?.trim();
}

class GraphFailure extends Error {
  constructor(
    readonly body: ReturnType<typeof graphError>,
    readonly status = 400,
  ) {
    super(body.error.message);
  }
}

function fieldsOf(url: URL, node: 'User' | 'IGMedia', scenario: FakeScenario): FieldSpec[] {
  const raw = url.searchParams.get('fields');
  if (raw === null || raw.trim() === '') return [{ name: 'id' }];
  let specs: FieldSpec[];
  try {
    specs = parseFields(raw);
  } catch (error) {
    if (error instanceof FieldSyntaxError) throw new GraphFailure(graphError(2500, error.message));
    throw error;
  }
  const unknown = unknownField(specs, node);
  if (unknown) throw new GraphFailure(graphErrors.nonexistingField(unknown.field, unknown.node));
  const asked = fieldNames(specs);
  if (asked.some((name) => scenario.unsupportedFields.includes(name))) {
    throw new GraphFailure(graphErrors.unsupportedField(asked.find((name) => scenario.unsupportedFields.includes(name))!));
  }
  if (asked.some((name) => scenario.fieldsWithoutPermission.includes(name))) throw new GraphFailure(graphErrors.noPermission());
  return specs.length > 0 ? specs : [{ name: 'id' }];
}

/** Every field name in a request, nested ones included. */
function fieldNames(specs: readonly FieldSpec[]): string[] {
  return specs.flatMap((spec) => [spec.name, ...(spec.fields ? fieldNames(spec.fields) : [])]);
}

function projectContext(ctx: ApiContext): ProjectContext {
  return { signer: ctx.signer, profile: ctx.state.profile, mediaCount: ctx.state.media.length };
}

/** since/until: unix seconds (or anything Date.parse understands). */
function timeParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  const ms = /^-?\d+$/.test(raw) ? Number(raw) * 1000 : Date.parse(raw);
  if (!Number.isFinite(ms)) throw new GraphFailure(graphError(100, `(#100) The parameter ${name} is invalid`));
  return ms;
}

interface ListOptions {
  /** The posts listed. @default the account's own media */
  source?: readonly FakeMedia[];
  limit: number;
  after?: string | undefined;
  before?: string | undefined;
  since?: number | undefined;
  until?: number | undefined;
  fields: FieldSpec[];
  /** Query used to build paging.next / previous; undefined → no links (field expansion). */
  linkBase?: { path: string; params: URLSearchParams; token: string };
}

function mediaList(ctx: ApiContext, options: ListOptions): Record<string, unknown> {
  let sorted = sortNewestFirst(options.source ?? ctx.state.media);
  const { since, until } = options;
  if (since !== undefined || until !== undefined) {
    sorted = sorted.filter((post) => {
      const ts = toMs(post.timestamp);
      return (since === undefined || ts >= since) && (until === undefined || ts <= until);
    });
  }
  const decode = (name: string, cursor: string | undefined) => {
    if (cursor === undefined || cursor === '') return undefined;
    const key = decodeCursor(cursor);
    if (!key) throw new GraphFailure(graphError(100, `(#100) The ${name} cursor is invalid`));
    return key;
  };
  const page = pageOf(sorted, options.limit, decode('after', options.after), decode('before', options.before));
  const pctx = projectContext(ctx);
  const body: Record<string, unknown> = { data: page.items.map((post) => projectMedia(post, options.fields, pctx)) };
  const first = page.items[0];
  const last = page.items.at(-1);
  if (first && last) {
    const paging: Record<string, unknown> = { cursors: { before: encodeCursor(first), after: encodeCursor(last) } };
    if (options.linkBase) {
      const link = (key: 'after' | 'before', cursor: string): string => {
        const { path, params, token } = options.linkBase!;
        const query = new URLSearchParams({ access_token: token });
        for (const [k, v] of params) if (k !== 'access_token' && k !== 'after' && k !== 'before') query.append(k, v);
        if (!query.has('limit')) query.set('limit', String(options.limit));
        query.set(key, cursor);
        return `${ctx.origin}${path}?${query.toString()}`;
      };
      if (page.hasNext) paging.next = link('after', encodeCursor(last));
      if (page.hasPrevious) paging.previous = link('before', encodeCursor(first));
    }
    body.paging = paging;
  }
  return body;
}

function limitParam(raw: string | null | undefined): number {
  const n = Number(raw);
  if (raw === null || raw === undefined || raw === '' || !Number.isFinite(n) || n < 1) return 25;
  return Math.min(100, Math.floor(n));
}

/** Answers one Graph request (auth, routing, projection), or a login route. */
export function handleApi(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL, route: ApiRoute): void | Promise<void> {
  if (route.name === 'oauth-authorize') return handleAuthorize(ctx.oauth, req, res, url);
  if (route.name === 'oauth-token') return handleCodeExchange(ctx.oauth, req, res);
  if (route.name === 'fb-exchange-token') return handleFacebookExchange(ctx.facebook, res, url);
  if (route.name === 'debug-token') return handleDebugToken(ctx.facebook, res, url);
  try {
    answer(ctx, req, res, url, route);
  } catch (error) {
    if (error instanceof GraphFailure) sendGraphError(res, error.body, error.status);
    else throw error;
  }
}

function answer(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL, route: ApiRoute): void {
  const method = (req.method ?? 'GET').toUpperCase();
  const target = route.segments[0] ?? '';
  if (method !== 'GET' && method !== 'HEAD') {
    if (route.name === 'refresh-token' || route.name === 'access-token') {
      throw new GraphFailure(graphErrors.unsupportedMethod(method.toLowerCase()));
    }
    throw new GraphFailure(
      graphError(
        100,
        `Unsupported ${method.toLowerCase()} request. Object with ID '${target}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        33,
      ),
    );
  }
  const token = tokenOf(req, url);
  const tokenFailure = ctx.tokens.check(token);
  if (tokenFailure) throw new GraphFailure(tokenFailure);
  const { state } = ctx;
  const version = route.version ?? ctx.apiVersion;

  switch (route.name) {
    case 'me': {
      const specs = fieldsOf(url, USER_NODE, ctx.scenario);
      const body = projectUser(state.profile, specs, projectContext(ctx));
      const mediaSpec = specs.find((spec) => spec.name === 'media');
      if (mediaSpec) {
        body.media = mediaList(ctx, { limit: limitParam(mediaSpec.modifiers?.limit), fields: mediaSpec.fields ?? [{ name: 'id' }] });
      }
      return sendJson(res, body);
    }
    case 'accounts':
      return handleAccounts(ctx.facebook, res, url, ctx.tokens.get(token)!);
    case 'media': {
      const p = url.searchParams;
      const { maxPageSize } = ctx.scenario;
      if (maxPageSize !== undefined && Number(p.get('limit') ?? 25) > maxPageSize) {
        throw new GraphFailure(graphErrors.reduceData(ctx.scenario.reduceDataWording), 500);
      }
      return sendJson(
        res,
        mediaList(ctx, {
          limit: limitParam(p.get('limit')),
          after: p.get('after') ?? undefined,
          before: p.get('after') ? undefined : (p.get('before') ?? undefined),
          since: timeParam(url, 'since'),
          until: timeParam(url, 'until'),
          fields: fieldsOf(url, MEDIA_NODE, ctx.scenario),
          linkBase: { path: `/${version}/${state.profile.user_id}/media`, params: p, token: token! },
        }),
      );
    }
    case 'tags': {
      // Meta's Mentions guide: instagram_business_basic + instagram_business_manage_comments (Facebook
      // Login: instagram_manage_comments). The refusal's code and wording are UNVERIFIED: Graph's usual
      // "(#10) Application does not have permission for this action", which names no permission.
      const needed = ctx.tokens.get(token)?.type ? 'instagram_manage_comments' : 'instagram_business_manage_comments';
      if (!ctx.tokens.grants(token, needed)) throw new GraphFailure(graphErrors.noPermission());
      const p = url.searchParams;
      // Cursors only: the tags reference says its answers carry no `next` or `previous` links.
      return sendJson(
        res,
        mediaList(ctx, {
          source: state.tagged,
          limit: limitParam(p.get('limit')),
          after: p.get('after') ?? undefined,
          before: p.get('after') ? undefined : (p.get('before') ?? undefined),
          fields: fieldsOf(url, MEDIA_NODE, ctx.scenario),
        }),
      );
    }
    case 'media-item': {
      const specs = fieldsOf(url, MEDIA_NODE, ctx.scenario);
      const pctx = projectContext(ctx);
      const post = state.media.find((m) => m.id === target);
      if (post) return sendJson(res, projectMedia(post, specs, pctx));
      for (const parent of state.media) {
        const child = parent.children?.find((c) => c.id === target);
        if (child) return sendJson(res, projectChild(child, parent, specs, pctx));
      }
      throw new GraphFailure(graphErrors.unsupportedGet(target));
    }
    case 'children': {
      const specs = fieldsOf(url, MEDIA_NODE, ctx.scenario);
      const post = state.media.find((m) => m.id === target);
      if (!post) throw new GraphFailure(graphErrors.unsupportedGet(target));
      const pctx = projectContext(ctx);
      return sendJson(res, { data: (post.children ?? []).map((child) => projectChild(child, post, specs, pctx)) });
    }
    case 'refresh-token': {
      if (url.searchParams.get('grant_type') !== 'ig_refresh_token') {
        throw new GraphFailure(graphError(100, 'Invalid grant_type. Expected ig_refresh_token'));
      }
      const refreshed = ctx.tokens.refresh(token, ctx.oauth.settings.rotateOnRefresh);
      if ('error' in refreshed) throw new GraphFailure(refreshed);
      return sendJson(res, tokenAnswer(refreshed, ctx.oauth.now()));
    }
    case 'access-token': {
      if (url.searchParams.get('grant_type') !== 'ig_exchange_token') {
        throw new GraphFailure(graphError(100, 'Invalid grant_type. Expected ig_exchange_token'));
      }
      const secret = url.searchParams.get('client_secret');
      if (!secret) throw new GraphFailure(graphError(100, 'Missing client_secret parameter.'));
      // UNVERIFIED wording and code for a wrong app secret.
      if (secret !== ctx.oauth.settings.appSecret) throw new GraphFailure(graphError(101, 'Error validating client secret.'));
      const exchanged = ctx.tokens.exchange(token);
      if ('error' in exchanged) throw new GraphFailure(exchanged);
      return sendJson(res, tokenAnswer(exchanged, ctx.oauth.now()));
    }
    default: {
      if (route.segments.length === 2 && /^\d+$/.test(target) && route.segments[1] === 'media') {
        throw new GraphFailure(graphErrors.unsupportedGet(target));
      }
      const rest = route.segments.length > 1 ? `/${route.segments.slice(1).join('/')}` : route.path;
      throw new GraphFailure(graphErrors.unknownPath(rest));
    }
  }
}

/** `{"access_token","token_type":"bearer","expires_in"}` with the seconds left until the token's expiry. */
function tokenAnswer(token: FakeToken, now: number): Record<string, unknown> {
  return { access_token: token.token, token_type: 'bearer', expires_in: Math.max(0, Math.round((token.expiresAt - now) / 1000)) };
}
