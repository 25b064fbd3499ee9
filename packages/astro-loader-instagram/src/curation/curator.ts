import type { InstagramPost } from 'instagram-graph';
import { hashtagName } from './options-shape.js';
import { keysOfPost, type PostRef, postRefKey } from './post-ref.js';

/** The curation options, as checked by the options schema. */
export interface CurationOptions {
  hide?: string[] | undefined;
  hideTag?: string | false | undefined;
  pin?: string[] | undefined;
  until?: Date | undefined;
  offFeedReels: 'hide' | 'keep';
}

/** Entries the schema let through name a post; anything else is dropped here rather than trusted. */
const refsOf = (values: string[] | undefined): PostRef[] =>
  (values ?? []).flatMap((given) => {
    const key = postRefKey(given);
    return key ? [{ given, key }] : [];
  });

/**
 * Decides, post by post while the feed is read, which posts the owner left out (`hide`, the
 * `hideTag` hashtag, `until`, Reels kept off the grid) and which are pinned, and keeps track of the
 * `hide` and `pin` entries that matched nothing, for one warning line each.
 */
export class Curator {
  private readonly hidden: Set<string>;
  private readonly pins: Map<string, { ref: PostRef; position: number }>;
  /** Shortcodes and ids of the posts read. */
  private readonly seen = new Set<string>();
  /** Pinned posts another rule left out, with the rule. */
  private readonly pinsLeftOut: Array<{ ref: PostRef; why: string }> = [];

  private readonly hideRefs: PostRef[];
  private readonly hideTag: string | undefined;

  constructor(private readonly options: CurationOptions) {
    this.hideRefs = refsOf(options.hide);
    this.hidden = new Set(this.hideRefs.map((ref) => ref.key));
    this.hideTag = options.hideTag ? hashtagName(options.hideTag) : undefined;
    this.pins = new Map();
    for (const ref of refsOf(options.pin)) if (!this.pins.has(ref.key)) this.pins.set(ref.key, { ref, position: this.pins.size + 1 });
  }

  /**
   * Why the post is left out, or undefined to keep it. Call once per post read. `otherRule`: the
   * loader's other filters (`mediaTypes`, `filter`), asked only when curation keeps the post.
   */
  leftOut(post: InstagramPost, otherRule: () => string | undefined = () => undefined): string | undefined {
    const keys = keysOfPost(post);
    for (const key of keys) this.seen.add(key);
    const hiddenBy = keys.some((key) => this.hidden.has(key));
    const pin = this.pinOf(keys);
    const why = this.reason(post, hiddenBy) ?? otherRule();
    if (why && pin) this.pinsLeftOut.push({ ref: pin.ref, why });
    return why;
  }

  /** A pinned post's place (1, 2, ...) in `pin`. */
  pinned(post: InstagramPost): number | undefined {
    return this.pinOf(keysOfPost(post))?.position;
  }

  /** Pinned posts not read yet: the feed is read on past `limit` until they are found. */
  get pinsOutstanding(): boolean {
    return [...this.pins.keys()].some((key) => !this.seen.has(key));
  }

  /**
   * One warning line per option whose entries matched nothing, and one per pinned post another rule
   * left out, naming the collection. `readAll`: the whole feed was read (a `hide` entry for a post past
   * `limit` is no mistake).
   */
  warnings(readAll: boolean, collection: string): string[] {
    const lines: string[] = [];
    const unseen = (refs: PostRef[]) => refs.filter((ref) => !this.seen.has(ref.key));
    const named = (refs: PostRef[]) => refs.map((ref) => JSON.stringify(ref.given)).join(', ');
    const missingHide = readAll ? unseen(this.hideRefs) : [];
    if (missingHide.length > 0) {
      lines.push(
        `hide (${collection}): ${named(missingHide)} ${missingHide.length === 1 ? 'matches' : 'match'} no post in the feed (deleted, archived or mistyped). Remove ${missingHide.length === 1 ? 'it' : 'them'} from \`hide\`, or copy the post's link from Instagram (Share > Copy link).`,
      );
    }
    const missingPins = unseen([...this.pins.values()].map((pin) => pin.ref));
    if (missingPins.length > 0) {
      lines.push(
        `pin (${collection}): ${named(missingPins)} ${missingPins.length === 1 ? 'matches' : 'match'} no post in the feed (deleted, archived or mistyped), so nothing is pinned in ${missingPins.length === 1 ? 'its' : 'their'} place. Remove ${missingPins.length === 1 ? 'it' : 'them'} from \`pin\`, or copy the post's link from Instagram (Share > Copy link).`,
      );
    }
    for (const { ref, why } of this.pinsLeftOut) {
      lines.push(
        `pin (${collection}): ${JSON.stringify(ref.given)} is left out by ${why}, which wins over \`pin\`. Remove it from one of the two.`,
      );
    }
    return lines;
  }

  private pinOf(keys: string[]) {
    return keys.map((key) => this.pins.get(key)).find(Boolean);
  }

  private reason(post: InstagramPost, listed: boolean): string | undefined {
    const { until, offFeedReels } = this.options;
    const hideTag = this.hideTag;
    if (listed) return '`hide`';
    if (hideTag && post.hashtags.some((tag) => tag.toLowerCase() === hideTag)) return `its #${hideTag} hashtag (\`hideTag\`)`;
    if (until && post.timestamp > until) return '`until`';
    if (offFeedReels === 'hide' && post.isReel && post.sharedToFeed === false) return "`offFeedReels: 'hide'` (a Reel kept off the grid)";
    return undefined;
  }
}
