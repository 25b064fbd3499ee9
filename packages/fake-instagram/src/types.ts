import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeTokens } from './tokens.js';

export interface FakeInstagramOptions {
  /** Number of media in the account. Default 24. */
  posts?: number;
  /** Seed for the deterministic feed. Default 1. */
  seed?: number;
  /** The one valid access token. Default {@link DEFAULT_TOKEN}. */
  token?: string;
  /** Account username. Default 'demo.studio'. */
  username?: string;
  /** Where generated JPEGs are cached on disk. Default os.tmpdir()/fake-instagram-images. */
  imageCacheDir?: string;
  /** Lifetime of signed CDN image urls (`oe`). Default 4 days. */
  urlTtlSeconds?: number;
  /** Lifetime of signed CDN video urls; shorter than images, as observed. Default 3 days. */
  videoUrlTtlSeconds?: number;
  /**
   * What the CDN looks like: `cdninstagram` answers an expired URL with 403 "URL signature expired",
   * `fbcdn` (Facebook Login's hosts) answers any bad or expired signature with 403 "Bad URL hash".
   * Default 'cdninstagram'.
   */
  cdnStyle?: 'cdninstagram' | 'fbcdn';
  /** The newest post is a few hours before this time (ms). Default: the start of the current UTC day. */
  feedEndsAt?: number;
  /** Millisecond clock. Default Date.now. Tests move time forward to expire URLs. */
  now?: () => number;
  /** Version used in `paging.next` when a request had no version prefix. Default 'v25.0'. Any vNN.N prefix is accepted. */
  apiVersion?: string;
  /** When `token` was issued (ms); it expires 60 days later. Default: server start (`now()`). */
  tokenIssuedAt?: number;
  /** `/refresh_access_token` hands back a new token string (the old one stays valid until it expires). Default false: same string, new expiry. */
  rotateOnRefresh?: boolean;
  /** Instagram app id accepted by `/oauth/authorize` and `/oauth/access_token`. Default '990602627938098'. */
  appId?: string;
  /** Instagram app secret accepted by the code exchange and `ig_exchange_token`. Default 'fake-app-secret-0000'. */
  appSecret?: string;
  /** If given, `/oauth/authorize` accepts only these redirect URIs. Default: any. */
  redirectUris?: string[];
  /**
   * Shape of the code exchange answer. 'flat' (default) is what the real endpoint answers (OBSERVED):
   * `{"access_token":"IGAA…","user_id":17841400000000001,"permissions":["instagram_business_basic"]}`, the id a
   * bare number beyond 2^53. 'data' is the reference's `{data:[{…,"user_id":"…","permissions":"a,b"}]}`.
   */
  codeExchangeShape?: 'data' | 'flat';
  /** Facebook Pages the Facebook user has a task on (`/me/accounts`). Default: one Page linked to the Instagram account. */
  facebookPages?: FakeFacebookPage[];
  /**
   * `GET /me/media` with a `limit` above this is refused with code 1 "Please reduce the amount of
   * data you're asking for" (HTTP 500), as Graph does when an answer is too big. Default: off (up to
   * 100 per page, larger limits capped at 100).
   */
  maxPageSize?: number;
  /** Where the code 1 refusal puts its words: in `message`, or only in `error_user_msg` (message "An unknown error occurred"). Default 'message'. */
  reduceDataWording?: 'message' | 'error_user_msg';
  /**
   * Fields refused with code 10 "(#10) Application does not have permission for this action"
   * (the message names no field, as real ones often do not), wherever they are asked for, nested too. Default none.
   */
  fieldsWithoutPermission?: string[];
  /** Fields refused with code 100 "(#100) <field> is unsupported", wherever asked for. Default none. */
  unsupportedFields?: string[];
  /** A rate limit to start with (see {@link FakeInstagram.rateLimit}). Default none. */
  rateLimit?: FakeRateLimit;
  /** Posts by other accounts in which the account is tagged (`GET /{ig-user-id}/tags`). Default 6. */
  tagged?: number;
  /**
   * Permissions granted to `token`. `/tags` needs instagram_business_manage_comments (Facebook Login
   * tokens: instagram_manage_comments). Default: every permission, as a token generated in the App Dashboard
   * for an app that has them all.
   */
  scopes?: string[];
}

/** What the fake refuses, the way real accounts see it. Mutable between requests. */
export interface FakeScenario {
  maxPageSize: number | undefined;
  reduceDataWording: 'message' | 'error_user_msg';
  fieldsWithoutPermission: string[];
  unsupportedFields: string[];
}

/**
 * A rate limit on the Graph data routes (me, media, media-item, children): the request that starts it
 * and every one in the following `forMs` are refused with `code` and an `X-Business-Use-Case-Usage`
 * header whose `estimated_time_to_regain_access` is `minutesToRegain`.
 */
export interface FakeRateLimit {
  /** The limit starts at the Nth matching request from now (1: the next one). Default 1. */
  startAtRequest?: number;
  /** Only requests to this route count and are refused (a stats.byRoute name such as 'media-item'). Default: every data route. */
  route?: string;
  /** How long the limit lasts once started, in ms. Default 0: only the request that starts it. */
  forMs?: number;
  /** Sent as `estimated_time_to_regain_access` (minutes). Default 0: Instagram names no wait, a common answer. */
  minutesToRegain?: number;
  /** 4 (app), 17 (user) or 80002 (Instagram account, business use case). Default 80002. */
  code?: 4 | 17 | 80002;
}

/** One API request as the fake saw it, without the access token. */
export interface FakeRequest {
  route: string;
  /** Path without the version prefix ('/me/media'). */
  path: string;
  /** Query parameters except `access_token`. */
  params: Record<string, string>;
}

/** A Facebook Page of the user, for `/me/accounts`. */
export interface FakeFacebookPage {
  id: string;
  name: string;
  /** The Page is linked to the fake Instagram account (`instagram_business_account`). */
  instagram: boolean;
}

/** Login settings of the fake app; mutable (e.g. set `deny` to make the dialog answer access_denied). */
export interface FakeOAuthSettings {
  appId: string;
  appSecret: string;
  redirectUris: string[] | undefined;
  codeExchangeShape: 'data' | 'flat';
  rotateOnRefresh: boolean;
  /** The user presses "Not now": the dialog redirects with `error=access_denied`. */
  deny: boolean;
}

export type FakeMediaType = 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM';
export type FakeProductType = 'FEED' | 'REELS';

/** One carousel child. It shares the parent's timestamp and username. */
export interface FakeChild {
  id: string;
  media_type: 'IMAGE' | 'VIDEO';
  alt_text?: string;
  width: number;
  height: number;
}

/** A stored post, as the fake keeps it (not the wire shape). */
export interface FakeMedia {
  id: string;
  media_type: FakeMediaType;
  media_product_type: FakeProductType;
  caption?: string;
  permalink: string;
  shortcode: string;
  /** Date or epoch milliseconds. */
  timestamp: Date | number;
  username: string;
  alt_text?: string;
  like_count?: number;
  comments_count?: number;
  /** Reels only. */
  is_shared_to_feed?: boolean;
  /** false → `media_url` is omitted (VIDEO with licensed audio). Undefined means true. */
  hasMediaUrl?: boolean;
  width: number;
  height: number;
  /** CAROUSEL_ALBUM only. */
  children?: FakeChild[];
}

/** The account behind /me. Mutable. */
export interface FakeProfile {
  /** App-scoped id returned as `id`. */
  id: string;
  /** Instagram professional account id (`user_id`), usable as /{user_id}/media. */
  user_id: string;
  username: string;
  name: string;
  account_type: 'BUSINESS' | 'MEDIA_CREATOR';
  followers_count: number;
  follows_count: number;
  biography: string;
  website: string;
}

export interface FakeStats {
  api: number;
  cdn: number;
  cdnBytes: number;
  byRoute: Record<string, number>;
}

export interface InterceptInfo {
  kind: 'api' | 'cdn';
  /** API: pathname without the version prefix ('/me/media'). CDN: the full pathname. */
  path: string;
  /** Short route name, as counted in stats.byRoute. */
  route: string;
  /** Parsed request URL. */
  url: URL;
}

export type InterceptHandler = (req: IncomingMessage, res: ServerResponse, info: InterceptInfo) => boolean | Promise<boolean>;

export interface FakeInstagram {
  /** 'http://127.0.0.1:<port>' */
  url: string;
  /** The account's initial long-lived token. */
  token: string;
  /** Every token the account knows (issued, refreshed, exchanged), with issue and expiry times. */
  tokens: FakeTokens;
  /** Login settings (app id/secret, deny, rotation); mutable. */
  oauth: FakeOAuthSettings;
  /** The Facebook user's Pages (`/me/accounts`); mutable. */
  facebookPages: FakeFacebookPage[];
  /** Newest first. Tests may mutate it (push/splice); responses are always sorted newest first. */
  media: FakeMedia[];
  /** Other accounts' posts in which the account is tagged (`/tags`), newest first; mutable like `media`. */
  tagged: FakeMedia[];
  profile: FakeProfile;
  /** Adds n new posts at the top (newer timestamps), deterministic. Returns them newest first. */
  addPosts(n: number): FakeMedia[];
  removePost(id: string): void;
  /** Publishes one new post (newest), as the owner posting in the app: /me/media and media_count change at once. */
  publish(): FakeMedia;
  /** Deletes a post; throws for an unknown id (a test typo should not pass silently). */
  remove(id: string): void;
  /** Edits a post's caption, as the owner can in the app (ids, time and media stay). */
  editCaption(id: string, caption: string): void;
  stats: FakeStats;
  /** API requests in order (the latest 10,000), without tokens; cleared by resetStats. */
  requests: FakeRequest[];
  resetStats(): void;
  /** What the fake refuses (page size, fields); initialised from the options, mutable. */
  scenario: FakeScenario;
  /** Starts a rate limit (see {@link FakeRateLimit}). Returns a function that lifts it. */
  rateLimit(limit: FakeRateLimit): () => void;
  /** Fault injection: each handler is tried first for every request; return true if it answered. Returns an unregister function. */
  intercept(handler: InterceptHandler): () => void;
  close(): Promise<void>;
}
