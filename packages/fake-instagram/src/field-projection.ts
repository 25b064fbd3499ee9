import { type CdnSigner, imagePath, videoPath } from './cdn.js';
import type { FieldSpec } from './fields.js';
import { formatTimestamp } from './timefmt.js';
import type { FakeChild, FakeMedia, FakeProfile } from './types.js';

export const MEDIA_NODE = 'IGMedia';
export const USER_NODE = 'User';

const MEDIA_FIELDS = new Set([
  'id',
  'caption',
  'media_type',
  'media_product_type',
  'media_url',
  'thumbnail_url',
  'permalink',
  'shortcode',
  'timestamp',
  'username',
  'alt_text',
  'is_shared_to_feed',
  'like_count',
  'comments_count',
  'children',
  'owner',
  'is_comment_enabled',
]);
const USER_FIELDS = new Set([
  'id',
  'user_id',
  'username',
  'name',
  'account_type',
  'profile_picture_url',
  'followers_count',
  'follows_count',
  'media_count',
  'biography',
  'website',
  'media',
]);

/** Name of the first field that does not exist on the node (or a nested edge), with that node's type. */
export function unknownField(specs: readonly FieldSpec[], node: 'User' | 'IGMedia'): { field: string; node: string } | undefined {
  const known = node === USER_NODE ? USER_FIELDS : MEDIA_FIELDS;
  for (const spec of specs) {
    if (!known.has(spec.name)) return { field: spec.name, node };
    if (spec.fields && (spec.name === 'children' || spec.name === 'media')) {
      const inner = unknownField(spec.fields, MEDIA_NODE);
      if (inner) return inner;
    }
  }
  return undefined;
}

export interface ProjectContext {
  signer: CdnSigner;
  profile: FakeProfile;
  mediaCount: number;
}

type Json = Record<string, unknown>;

function put(out: Json, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

function childUrls(child: FakeChild, signer: CdnSigner, field: string): string | undefined {
  if (field === 'thumbnail_url') return child.media_type === 'VIDEO' ? signer.sign(imagePath(child.id)) : undefined;
  return signer.sign(child.media_type === 'VIDEO' ? videoPath(child.id) : imagePath(child.id));
}

function postUrl(post: FakeMedia, signer: CdnSigner, field: 'media_url' | 'thumbnail_url'): string | undefined {
  if (post.media_type === 'CAROUSEL_ALBUM') {
    const first = post.children?.[0];
    // The album's media_url is its cover: the first child's picture (a video child's poster).
    return field === 'media_url' && first ? signer.sign(imagePath(first.id)) : undefined;
  }
  if (post.media_type === 'IMAGE') return field === 'media_url' ? signer.sign(imagePath(post.id)) : undefined;
  if (field === 'thumbnail_url') return signer.sign(imagePath(post.id));
  return post.hasMediaUrl === false ? undefined : signer.sign(videoPath(post.id));
}

function limitOf(spec: FieldSpec, fallback: number): number {
  const n = Number(spec.modifiers?.limit);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const ID_ONLY: FieldSpec[] = [{ name: 'id' }];

export function projectChild(child: FakeChild, parent: FakeMedia, specs: readonly FieldSpec[], ctx: ProjectContext): Json {
  const out: Json = {};
  for (const { name } of specs) {
    switch (name) {
      case 'id':
        put(out, name, child.id);
        break;
      case 'media_type':
        put(out, name, child.media_type);
        break;
      case 'media_product_type':
        put(out, name, 'FEED');
        break;
      case 'media_url':
      case 'thumbnail_url':
        put(out, name, childUrls(child, ctx.signer, name));
        break;
      case 'timestamp':
        put(out, name, formatTimestamp(parent.timestamp));
        break;
      case 'username':
        put(out, name, parent.username);
        break;
      case 'alt_text':
        put(out, name, child.alt_text);
        break;
      case 'owner':
        put(out, name, { id: ctx.profile.user_id });
        break;
      default:
        break; // caption, permalink, counts, children…: not available on album children
    }
  }
  return out;
}

export function projectMedia(post: FakeMedia, specs: readonly FieldSpec[], ctx: ProjectContext): Json {
  const out: Json = {};
  for (const spec of specs) {
    const name = spec.name;
    switch (name) {
      case 'id':
      case 'caption':
      case 'media_type':
      case 'media_product_type':
      case 'permalink':
      case 'shortcode':
      case 'username':
      case 'alt_text':
      case 'like_count':
      case 'comments_count':
        put(out, name, post[name]);
        break;
      case 'is_shared_to_feed':
        put(out, name, post.media_product_type === 'REELS' ? post.is_shared_to_feed : undefined);
        break;
      case 'timestamp':
        put(out, name, formatTimestamp(post.timestamp));
        break;
      case 'media_url':
      case 'thumbnail_url':
        put(out, name, postUrl(post, ctx.signer, name));
        break;
      case 'owner':
        put(out, name, { id: ctx.profile.user_id });
        break;
      case 'is_comment_enabled':
        put(out, name, true);
        break;
      case 'children':
        if (post.media_type === 'CAROUSEL_ALBUM' && post.children) {
          const children = post.children.slice(0, limitOf(spec, Infinity));
          out[name] = { data: children.map((child) => projectChild(child, post, spec.fields ?? ID_ONLY, ctx)) };
        }
        break;
      default:
        break;
    }
  }
  return out;
}

/** `media` edge expansion on the user node is filled in by the caller (it needs paging). */
export function projectUser(profile: FakeProfile, specs: readonly FieldSpec[], ctx: ProjectContext): Json {
  const out: Json = {};
  for (const { name } of specs) {
    switch (name) {
      case 'id':
      case 'user_id':
      case 'username':
      case 'name':
      case 'account_type':
      case 'followers_count':
      case 'follows_count':
      case 'biography':
      case 'website':
        put(out, name, profile[name]);
        break;
      case 'media_count':
        put(out, name, ctx.mediaCount);
        break;
      case 'profile_picture_url':
        put(out, name, ctx.signer.sign(imagePath(profile.user_id, true)));
        break;
      default:
        break;
    }
  }
  return out;
}
