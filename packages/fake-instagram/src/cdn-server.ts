import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CdnSigner } from './cdn.js';
import { sendText } from './http.js';
import type { ImageCache } from './images.js';
import type { FakeMedia, FakeProfile, FakeStats } from './types.js';
import { fakeMp4 } from './video.js';

export interface CdnContext {
  signer: CdnSigner;
  images: ImageCache;
  stats: FakeStats;
  state: { media: FakeMedia[]; tagged: FakeMedia[]; profile: FakeProfile };
}

const IMAGE = /^\/cdn\/v\/t51\.(29350-15|2885-19)\/(\d+)_n\.jpg$/;
const VIDEO = /^\/cdn\/o1\/v\/t16\/(\d+)\.mp4$/;
const PROFILE_SIZE = 320;

export function cdnRouteName(pathname: string): string {
  if (IMAGE.test(pathname)) return 'cdn-image';
  if (VIDEO.test(pathname)) return 'cdn-video';
  return 'cdn-unknown';
}

/** Size of the picture behind an image id (post, child, video poster or profile), if it still exists. */
function findPicture(state: CdnContext['state'], id: string, profile: boolean): { width: number; height: number } | undefined {
  if (profile) return id === state.profile.user_id ? { width: PROFILE_SIZE, height: PROFILE_SIZE } : undefined;
  for (const post of [...state.media, ...state.tagged]) {
    if (post.id === id) return post.media_type === 'CAROUSEL_ALBUM' ? undefined : post;
    const child = post.children?.find((c) => c.id === id);
    if (child) return child;
  }
  return undefined;
}

function videoExists(state: CdnContext['state'], id: string): boolean {
  for (const post of [...state.media, ...state.tagged]) {
    if (post.id === id) return post.media_type === 'VIDEO' && post.hasMediaUrl !== false;
    if (post.children?.some((c) => c.id === id && c.media_type === 'VIDEO')) return true;
  }
  return false;
}

const videoCache = new Map<string, Buffer>();

function send(ctx: CdnContext, req: IncomingMessage, res: ServerResponse, type: string, body: Buffer): void {
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': body.length,
    'Cache-Control': 'max-age=1209600, no-transform',
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'timing-allow-origin': '*',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  ctx.stats.cdnBytes += body.length;
  res.end(body);
}

/** Serves signed CDN URLs: 403 on bad/expired signature, 404 once the media is gone. */
export async function handleCdn(ctx: CdnContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method Not Allowed');
  const image = IMAGE.exec(url.pathname);
  const video = VIDEO.exec(url.pathname);
  if (!image && !video) return sendText(res, 404, 'Not Found');
  const verdict = ctx.signer.verify(url.pathname, url.searchParams);
  if (verdict !== 'ok') return sendText(res, 403, ctx.signer.refusal(verdict));
  if (image) {
    const id = image[2] as string;
    const size = findPicture(ctx.state, id, image[1] === '2885-19');
    if (!size) return sendText(res, 404, 'Not Found');
    const jpeg = await ctx.images.get(id, size.width, size.height);
    return send(ctx, req, res, 'image/jpeg', jpeg);
  }
  const id = (video as RegExpExecArray)[1] as string;
  if (!videoExists(ctx.state, id)) return sendText(res, 404, 'Not Found');
  let mp4 = videoCache.get(id);
  if (!mp4) {
    mp4 = fakeMp4(id);
    if (videoCache.size > 200) videoCache.clear();
    videoCache.set(id, mp4);
  }
  return send(ctx, req, res, 'video/mp4', mp4);
}
