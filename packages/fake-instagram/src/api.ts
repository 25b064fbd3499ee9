import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CdnSigner } from './cdn.js';
import { graphError, graphErrors, sendGraphError } from './errors.js';
import { FieldSyntaxError, parseFields, type FieldSpec } from './fields.js';
import { sendJson } from './http.js';
import { decodeCursor, encodeCursor, pageOf, sortNewestFirst } from './paging.js';
import { projectChild, projectMedia, projectUser, unknownField, USER_NODE, MEDIA_NODE, type ProjectContext } from './project.js';
import { toMs } from './timefmt.js';
import type { FakeMedia, FakeProfile } from './types.js';

export interface ApiContext {
  origin: string;
  token: string;
  apiVersion: string;
  signer: CdnSigner;
  state: { media: FakeMedia[]; profile: FakeProfile };
}

export interface ApiRoute {
  /** Short name for stats: me, media, media-item, children, refresh-token, access-token, unknown. */
  name: string;
  /** Version prefix as requested ('v25.0') or undefined. */
  version: string | undefined;
  /** Path without the version prefix. */
  path: string;
  segments: string[];
}

const VERSION = /^\/(v\d+\.\d+)(?=\/|$)/;
const LONG_LIVED_SECONDS = 5_183_944;

export function resolveApiRoute(pathname: string, ctx: ApiContext): ApiRoute {
  const version = VERSION.exec(pathname)?.[1];
  const path = version ? pathname.slice(version.length + 1) || '/' : pathname;
  const segments = path.split('/').filter(Boolean);
  const [first, second] = segments;
  const { profile } = ctx.state;
  const isUser = first === 'me' || first === profile.user_id || first === profile.id;
  let name = 'unknown';
  if (segments.length === 1 && first === 'refresh_access_token') name = 'refresh-token';
  else if (segments.length === 1 && first === 'access_token') name = 'access-token';
  else if (segments.length === 1 && isUser) name = 'me';
  else if (segments.length === 1 && first && /^\d+$/.test(first)) name = 'media-item';
  else if (segments.length === 2 && second === 'media' && isUser) name = 'media';
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
  constructor(readonly body: ReturnType<typeof graphError>) {
    super(body.error.message);
  }
}

function fieldsOf(url: URL, node: 'User' | 'IGMedia'): FieldSpec[] {
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
  return specs.length > 0 ? specs : [{ name: 'id' }];
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
  limit: number;
  after?: string | undefined;
  before?: string | undefined;
  since?: number | undefined;
  until?: number | undefined;
  fields: FieldSpec[];
  /** Query used to build paging.next / previous; undefined → no links (field expansion). */
  linkBase?: { path: string; params: URLSearchParams };
}

function mediaList(ctx: ApiContext, options: ListOptions): Record<string, unknown> {
  let sorted = sortNewestFirst(ctx.state.media);
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
        const { path, params } = options.linkBase!;
        const query = new URLSearchParams({ access_token: ctx.token });
        for (const [k, v] of params) if (k !== 'access_token' && k !== 'after' && k !== 'before') query.append(k, v);
        if (!query.has('limit')) query.set('limit', String(options.limit));
        query.set(key, cursor);
        return `${ctx.origin}${path}?${query.toString()}`;
      };
      if (page.hasNext) paging['next'] = link('after', encodeCursor(last));
      if (page.hasPrevious) paging['previous'] = link('before', encodeCursor(first));
    }
    body['paging'] = paging;
  }
  return body;
}

function limitParam(raw: string | null | undefined): number {
  const n = Number(raw);
  if (raw === null || raw === undefined || raw === '' || !Number.isFinite(n) || n < 1) return 25;
  return Math.min(100, Math.floor(n));
}

/** Answers one Graph request (auth, routing, projection). */
export function handleApi(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL, route: ApiRoute): void {
  try {
    answer(ctx, req, res, url, route);
  } catch (error) {
    if (error instanceof GraphFailure) sendGraphError(res, error.body);
    else throw error;
  }
}

function answer(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL, route: ApiRoute): void {
  const method = (req.method ?? 'GET').toUpperCase();
  const target = route.segments[0] ?? '';
  if (method !== 'GET' && method !== 'HEAD') {
    if (route.name === 'refresh-token' || route.name === 'access-token') {
      throw new GraphFailure(graphError(100, `Unsupported request - method type: ${method.toLowerCase()}`));
    }
    throw new GraphFailure(
      graphError(100, `Unsupported ${method.toLowerCase()} request. Object with ID '${target}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 33),
    );
  }
  if (tokenOf(req, url) !== ctx.token) throw new GraphFailure(graphErrors.invalidToken());
  const { state } = ctx;
  const version = route.version ?? ctx.apiVersion;

  switch (route.name) {
    case 'me': {
      const specs = fieldsOf(url, USER_NODE);
      const body = projectUser(state.profile, specs, projectContext(ctx));
      const mediaSpec = specs.find((spec) => spec.name === 'media');
      if (mediaSpec) {
        body['media'] = mediaList(ctx, { limit: limitParam(mediaSpec.modifiers?.['limit']), fields: mediaSpec.fields ?? [{ name: 'id' }] });
      }
      return sendJson(res, body);
    }
    case 'media': {
      const p = url.searchParams;
      return sendJson(res, mediaList(ctx, {
        limit: limitParam(p.get('limit')),
        after: p.get('after') ?? undefined,
        before: p.get('after') ? undefined : (p.get('before') ?? undefined),
        since: timeParam(url, 'since'),
        until: timeParam(url, 'until'),
        fields: fieldsOf(url, MEDIA_NODE),
        linkBase: { path: `/${version}/${state.profile.user_id}/media`, params: p },
      }));
    }
    case 'media-item': {
      const specs = fieldsOf(url, MEDIA_NODE);
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
      const specs = fieldsOf(url, MEDIA_NODE);
      const post = state.media.find((m) => m.id === target);
      if (!post) throw new GraphFailure(graphErrors.unsupportedGet(target));
      const pctx = projectContext(ctx);
      return sendJson(res, { data: (post.children ?? []).map((child) => projectChild(child, post, specs, pctx)) });
    }
    case 'refresh-token': {
      if (url.searchParams.get('grant_type') !== 'ig_refresh_token') {
        throw new GraphFailure(graphError(100, 'Invalid grant_type. Expected ig_refresh_token'));
      }
      return sendJson(res, { access_token: ctx.token, token_type: 'bearer', expires_in: LONG_LIVED_SECONDS });
    }
    case 'access-token': {
      if (url.searchParams.get('grant_type') !== 'ig_exchange_token') {
        throw new GraphFailure(graphError(100, 'Invalid grant_type. Expected ig_exchange_token'));
      }
      if (!url.searchParams.get('client_secret')) throw new GraphFailure(graphError(100, 'Missing client_secret parameter.'));
      return sendJson(res, { access_token: ctx.token, token_type: 'bearer', expires_in: LONG_LIVED_SECONDS });
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
