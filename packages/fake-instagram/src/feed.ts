import { ALT_TEXTS, makeCaption, withLinkLine } from './captions.js';
import { createRng, type Rng } from './rng.js';
import { toMs } from './timefmt.js';
import type { FakeChild, FakeMedia, FakeProfile } from './types.js';

const HOUR = 3_600_000;
/**
 * Feed pictures in Instagram's usual shapes, about as often as accounts post them: squares and 4:5
 * portraits most, then 3:4 (the profile grid's shape since 2025) and 1.91:1 landscapes. Reels get
 * 9:16 covers (`REEL_COVER`); an album's children share its shape, as on Instagram.
 */
const SIZES: ReadonlyArray<readonly [number, number]> = [
  [1080, 1080],
  [1080, 1080],
  [1080, 1080],
  [1080, 1350],
  [1080, 1350],
  [1080, 1350],
  [1080, 1440],
  [1080, 566],
];
const REEL_COVER = [1080, 1920] as const;
const SHORTCODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
type Kind = 'IMAGE' | 'CAROUSEL_ALBUM' | 'VIDEO';

/**
 * Deterministic post factory. Kinds come in shuffled blocks of 20 (12 IMAGE, 5 CAROUSEL_ALBUM,
 * 3 VIDEO), so every block has exactly the target mix; the first block puts a carousel and a
 * video within the first 8 posts. Every second carousel has a VIDEO child; every third video
 * (the 2nd, 5th, …) has licensed audio and so no media_url.
 */
export class FeedGenerator {
  private readonly rng: Rng;
  /** Only for captions' link lines (see withLinkLine). */
  private readonly linkRng: Rng;
  private readonly usedIds = new Set<string>();
  private readonly usedShortcodes = new Set<string>();
  private kinds: Kind[] = [];
  private blocks = 0;
  private videos = 0;
  private carousels = 0;

  constructor(
    seed: number,
    private readonly username: string,
  ) {
    this.rng = createRng(seed * 7919 + 17);
    this.linkRng = createRng(seed * 104_729 + 31);
  }

  /** `count` posts, newest first, the newest a few hours before `nowMs`, then hours to days apart. */
  initial(count: number, nowMs: number): FakeMedia[] {
    const posts: FakeMedia[] = [];
    let ts = nowMs - this.rng.int(1 * HOUR, 8 * HOUR);
    for (let i = 0; i < count; i++) {
      posts.push(this.post(ts));
      const r = this.rng.next();
      ts -= 3 * HOUR + Math.floor(r * r * 69 * HOUR) + this.rng.int(0, 59) * 60_000;
    }
    return posts;
  }

  /**
   * `count` posts newer than `newestMs`, newest first. They are spread between `newestMs` and
   * `nowMs` when there is room, otherwise they follow a few minutes apart.
   */
  newer(count: number, newestMs: number, nowMs: number): FakeMedia[] {
    const posts: FakeMedia[] = [];
    const room = nowMs - newestMs;
    const step = room > count * 60_000 ? room / count : 0;
    let ts = newestMs;
    for (let i = 0; i < count; i++) {
      ts += step > 0 ? Math.max(1000, Math.floor(step * (0.5 + 0.5 * this.rng.next()))) : this.rng.int(1, 5) * 60_000;
      posts.unshift(this.post(ts));
    }
    return posts;
  }

  profile(): FakeProfile {
    return {
      id: this.id('26'),
      user_id: '17841400000000001',
      username: this.username,
      name: 'Demo Studio & Café',
      account_type: 'BUSINESS',
      followers_count: this.rng.int(800, 25_000),
      follows_count: this.rng.int(100, 900),
      biography: 'Small-batch ceramics & specialty coffee ☕️🏺\nOpen Tue–Sun 8–4 · 12 Market Lane\nWorkshops ↓',
      website: 'https://demo-studio.example/',
    };
  }

  private post(tsMs: number): FakeMedia {
    const rng = this.rng;
    const kind = this.nextKind();
    const isReel = kind === 'VIDEO';
    const picked = rng.pick(SIZES); // drawn for reels too, so a seed's posts stay the same
    const [width, height] = isReel ? REEL_COVER : picked;
    const shortcode = this.shortcode();
    const post: FakeMedia = {
      id: this.id(),
      media_type: kind,
      media_product_type: isReel ? 'REELS' : 'FEED',
      permalink: `https://www.instagram.com/${isReel ? 'reel' : 'p'}/${shortcode}/`,
      shortcode,
      timestamp: new Date(Math.floor(toMs(tsMs) / 1000) * 1000),
      username: this.username,
      width,
      height,
    };
    const caption = withLinkLine(makeCaption(rng), this.linkRng);
    if (caption !== undefined) post.caption = caption;
    if (kind === 'IMAGE' && rng.chance(0.3)) post.alt_text = rng.pick(ALT_TEXTS);
    if (rng.chance(0.9)) {
      const r = rng.next();
      post.like_count = 3 + Math.floor(r * r * r * 1500);
      post.comments_count = rng.int(0, Math.min(60, Math.floor(post.like_count / 8)));
    } else if (rng.chance(0.5)) {
      post.comments_count = rng.int(0, 12); // likes hidden by the owner
    }
    if (isReel) {
      post.is_shared_to_feed = true;
      post.hasMediaUrl = this.videos++ % 3 !== 1;
    }
    if (kind === 'CAROUSEL_ALBUM') post.children = this.children(width, height, this.carousels++ % 2 === 0);
    return post;
  }

  private children(width: number, height: number, withVideo: boolean): FakeChild[] {
    const count = this.rng.int(2, 4);
    const videoAt = withVideo ? this.rng.int(1, count - 1) : -1;
    const children: FakeChild[] = [];
    for (let i = 0; i < count; i++) {
      const child: FakeChild = { id: this.id(), media_type: i === videoAt ? 'VIDEO' : 'IMAGE', width, height };
      if (child.media_type === 'IMAGE' && this.rng.chance(0.25)) child.alt_text = this.rng.pick(ALT_TEXTS);
      children.push(child);
    }
    return children;
  }

  private nextKind(): Kind {
    if (this.kinds.length === 0) {
      const block: Kind[] = [...Array<Kind>(12).fill('IMAGE'), ...Array<Kind>(5).fill('CAROUSEL_ALBUM'), ...Array<Kind>(3).fill('VIDEO')];
      this.rng.shuffle(block);
      if (this.blocks++ === 0) {
        for (const kind of ['CAROUSEL_ALBUM', 'VIDEO'] as const) {
          if (block.slice(0, 8).includes(kind)) continue;
          const from = block.indexOf(kind);
          let to = this.rng.int(1, 7);
          if (block[to] !== 'IMAGE') to = block.slice(0, 8).indexOf('IMAGE');
          block[from] = block[to] as Kind;
          block[to] = kind;
        }
      }
      this.kinds = block;
    }
    return this.kinds.shift() as Kind;
  }

  /** 17-digit numeric id (always > 2^53), unique within this generator. */
  private id(prefix?: string): string {
    for (;;) {
      let id = prefix ?? this.rng.pick(['178', '179', '180', '181']);
      while (id.length < 17) id += String(this.rng.int(0, 9));
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return id;
      }
    }
  }

  private shortcode(): string {
    for (;;) {
      let code = this.rng.pick(['C', 'D']);
      while (code.length < 11) code += this.rng.pick([...SHORTCODE_ALPHABET]);
      if (!this.usedShortcodes.has(code)) {
        this.usedShortcodes.add(code);
        return code;
      }
    }
  }
}

/** Customers who post photos of the account's work and tag it: the authors of `/tags`. */
export const TAGGING_USERNAMES = ['mara.makes.coffee', 'jon_on_film', 'the.tiny.kitchen', 'studio.visits'] as const;

/**
 * `count` posts by other accounts (TAGGING_USERNAMES in turn) in which the account is tagged, newest
 * first, from a generator of their own so the account's own feed stays the same for a seed.
 */
export function taggedPosts(seed: number, count: number, endsAtMs: number): FakeMedia[] {
  const posts = new FeedGenerator(seed * 31 + 5, 'tagging').initial(count, endsAtMs);
  return posts.map((post, index) => ({ ...post, username: TAGGING_USERNAMES[index % TAGGING_USERNAMES.length]! }));
}
