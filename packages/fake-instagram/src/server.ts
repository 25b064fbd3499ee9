import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type ApiContext, handleApi, resolveApiRoute } from './api.js';
import { CdnSigner } from './cdn.js';
import { type CdnContext, cdnRouteName, handleCdn } from './cdn-server.js';
import { businessUseCaseUsage, graphErrors, sendGraphError } from './errors.js';
import { FeedGenerator, taggedPosts } from './feed.js';
import { sendText } from './http.js';
import { ImageCache } from './images.js';
import { toMs } from './timefmt.js';
import { FakeTokens } from './tokens.js';
import type {
  FakeInstagram,
  FakeInstagramOptions,
  FakeOAuthSettings,
  FakeRateLimit,
  FakeStats,
  InterceptHandler,
  InterceptInfo,
} from './types.js';

export const DEFAULT_TOKEN = 'IGAAdemo-fake-token-0000';
export const DEFAULT_USERNAME = 'demo.studio';
export const DEFAULT_API_VERSION = 'v25.0';
export const DEFAULT_URL_TTL_SECONDS = 4 * 24 * 3600;
/** Video URLs expire about a day before image URLs on the real CDN. */
export const DEFAULT_VIDEO_URL_TTL_SECONDS = 3 * 24 * 3600;
/** The app id of Meta's reference examples. */
export const DEFAULT_APP_ID = '990602627938098';
export const DEFAULT_APP_SECRET = 'fake-app-secret-0000';
/** The Facebook Page linked to the fake Instagram account, by default. */
export const DEFAULT_FACEBOOK_PAGE = { id: '109876543210987', name: 'Demo Studio', instagram: true } as const;

const emptyStats = (): FakeStats => ({ api: 0, cdn: 0, cdnBytes: 0, byRoute: {} });
const MAX_LOGGED_REQUESTS = 10_000;
/** The Graph data routes a rate limit applies to (not login or token routes). */
const DATA_ROUTES = new Set(['me', 'media', 'tags', 'media-item', 'children']);

/** Starts the fake Graph API + CDN on 127.0.0.1 (ephemeral port). */
export async function startFakeInstagram(options: FakeInstagramOptions = {}): Promise<FakeInstagram> {
  const now = options.now ?? Date.now;
  const token = options.token ?? DEFAULT_TOKEN;
  const seed = options.seed ?? 1;
  const generator = new FeedGenerator(seed, options.username ?? DEFAULT_USERNAME);
  const profile = generator.profile();
  // Anchored to the start of the day so two servers started the same day serve identical posts,
  // like a real account between builds.
  const feedEndsAt = options.feedEndsAt ?? startOfDay(now());
  const media = generator.initial(Math.max(0, Math.floor(options.posts ?? 24)), feedEndsAt);
  const tagged = taggedPosts(seed, Math.max(0, Math.floor(options.tagged ?? 6)), feedEndsAt);
  const images = new ImageCache(options.imageCacheDir ?? path.join(os.tmpdir(), 'fake-instagram-images'));
  const interceptors: InterceptHandler[] = [];
  const tokens = new FakeTokens(now);
  tokens.add(token, { issuedAt: options.tokenIssuedAt ?? now(), ...(options.scopes ? { scopes: options.scopes } : {}) });
  const oauth: FakeOAuthSettings = {
    appId: options.appId ?? DEFAULT_APP_ID,
    appSecret: options.appSecret ?? DEFAULT_APP_SECRET,
    redirectUris: options.redirectUris,
    codeExchangeShape: options.codeExchangeShape ?? 'flat',
    rotateOnRefresh: options.rotateOnRefresh ?? false,
    deny: false,
  };

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const lifetimes = {
    images: options.urlTtlSeconds ?? DEFAULT_URL_TTL_SECONDS,
    videos: options.videoUrlTtlSeconds ?? DEFAULT_VIDEO_URL_TTL_SECONDS,
  };
  const signer = new CdnSigner(origin, lifetimes, now, options.cdnStyle);

  let closing: Promise<void> | undefined;
  /** Active rate limits: requests left before each starts, and when it started (performance.now()). */
  const rateLimits: Array<{ limit: FakeRateLimit; before: number; startedAt?: number }> = [];
  const fake: FakeInstagram = {
    url: origin,
    token,
    tokens,
    oauth,
    facebookPages: options.facebookPages ?? [{ ...DEFAULT_FACEBOOK_PAGE }],
    media,
    tagged,
    profile,
    stats: emptyStats(),
    requests: [],
    scenario: {
      maxPageSize: options.maxPageSize,
      reduceDataWording: options.reduceDataWording ?? 'message',
      fieldsWithoutPermission: [...(options.fieldsWithoutPermission ?? [])],
      unsupportedFields: [...(options.unsupportedFields ?? [])],
    },
    rateLimit(limit) {
      const entry = { limit, before: Math.max(1, Math.floor(limit.startAtRequest ?? 1)) };
      rateLimits.push(entry);
      return () => {
        const index = rateLimits.indexOf(entry);
        if (index >= 0) rateLimits.splice(index, 1);
      };
    },
    addPosts(n) {
      const newest = fake.media.reduce((max, post) => Math.max(max, toMs(post.timestamp)), now() - 86_400_000);
      const posts = generator.newer(Math.max(0, Math.floor(n)), newest, now());
      fake.media.unshift(...posts);
      return posts;
    },
    removePost(id) {
      const index = fake.media.findIndex((post) => post.id === id);
      if (index >= 0) fake.media.splice(index, 1);
    },
    publish() {
      const [post] = fake.addPosts(1);
      if (!post) throw new Error('fake-instagram: publish() made no post');
      return post;
    },
    remove(id) {
      if (!fake.media.some((post) => post.id === id)) throw new Error(`fake-instagram: no post ${id} to remove`);
      fake.removePost(id);
    },
    editCaption(id, caption) {
      const post = fake.media.find((item) => item.id === id);
      if (!post) throw new Error(`fake-instagram: no post ${id} to edit`);
      post.caption = caption;
    },
    resetStats() {
      Object.assign(fake.stats, emptyStats());
      fake.requests.length = 0;
    },
    intercept(handler) {
      interceptors.push(handler);
      return () => {
        const index = interceptors.indexOf(handler);
        if (index >= 0) interceptors.splice(index, 1);
      };
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };

  if (options.rateLimit) fake.rateLimit(options.rateLimit);

  /** Whether a rate limit refuses this request; an ended limit is removed. */
  const rateLimited = (route: string): FakeRateLimit | undefined => {
    if (!DATA_ROUTES.has(route)) return undefined;
    for (const entry of [...rateLimits]) {
      if (entry.limit.route && entry.limit.route !== route) continue;
      if (entry.startedAt === undefined) {
        if (--entry.before > 0) continue;
        entry.startedAt = performance.now();
        return entry.limit;
      }
      if (performance.now() - entry.startedAt <= (entry.limit.forMs ?? 0)) return entry.limit;
      rateLimits.splice(rateLimits.indexOf(entry), 1);
    }
    return undefined;
  };

  const apiContext: ApiContext = {
    origin,
    tokens,
    apiVersion: options.apiVersion ?? DEFAULT_API_VERSION,
    signer,
    state: fake,
    oauth: { settings: oauth, tokens, profile, now, codes: new Map() },
    facebook: {
      settings: oauth,
      tokens,
      profile,
      now,
      pageTokens: new Map(),
      get pages() {
        return fake.facebookPages;
      },
    },
    scenario: fake.scenario,
  };
  const cdnContext: CdnContext = {
    signer,
    images,
    state: fake,
    get stats() {
      return fake.stats;
    },
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', origin);
    const kind = url.pathname.startsWith('/cdn/') ? 'cdn' : 'api';
    const apiRoute = kind === 'api' ? resolveApiRoute(url.pathname, apiContext, req.method, url.searchParams) : undefined;
    const route = apiRoute ? apiRoute.name : cdnRouteName(url.pathname);
    const stats = fake.stats;
    stats[kind] += 1;
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
    const info: InterceptInfo = { kind, path: apiRoute ? apiRoute.path : url.pathname, route, url };
    if (apiRoute) {
      const params = Object.fromEntries([...url.searchParams].filter(([key]) => key !== 'access_token'));
      fake.requests.push({ route, path: apiRoute.path, params });
      // A long-running demo server keeps only the latest requests.
      if (fake.requests.length > MAX_LOGGED_REQUESTS) fake.requests.splice(0, fake.requests.length - MAX_LOGGED_REQUESTS);
    }
    for (const handler of [...interceptors]) {
      if (await handler(req, res, info)) return;
    }
    const limit = apiRoute ? rateLimited(route) : undefined;
    if (limit) {
      const code = limit.code ?? 80002;
      const usage = businessUseCaseUsage(fake.profile.user_id, 100, limit.minutesToRegain ?? 0);
      return sendGraphError(res, graphErrors.rateLimit(code), 400, { 'X-Business-Use-Case-Usage': usage });
    }
    if (apiRoute) await handleApi(apiContext, req, res, url, apiRoute);
    else await handleCdn(cdnContext, req, res, url);
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    onRequest(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      if (req.url?.startsWith('/cdn/')) sendText(res, 500, `Internal error: ${message}`);
      else sendGraphError(res, graphErrors.unknown(), 500);
    });
  });

  return fake;
}

function startOfDay(ms: number): number {
  return ms - (ms % 86_400_000);
}
