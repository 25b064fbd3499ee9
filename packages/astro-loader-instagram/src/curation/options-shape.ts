import { z } from 'astro/zod';
import { LOADER_DEFAULTS } from '../config-defaults.js';
import { describeRefValue, POST_REF_FORMS, postRefKey } from './post-ref.js';

/** One `hide` or `pin` entry, checked when content.config is evaluated; a bad one is named in the error. */
// Checked, not transformed: the checked options are checked again at load time (options.ts).
const postRef = z.string({ error: POST_REF_FORMS }).superRefine((given, context) => {
  if (postRefKey(given)) return;
  context.addIssue({ code: 'custom', input: given, message: POST_REF_FORMS, params: { shown: describeRefValue(given) } });
});

const HASHTAG = /^#?([\p{L}\p{M}\p{N}_]+)$/u;
const hashtagExpected = 'a hashtag like "#nosite", or false';

/** The tag's name in lower case without `#`, or undefined when it is no hashtag (`#2024` is none on Instagram). */
export function hashtagName(tag: string): string | undefined {
  const name = HASHTAG.exec(tag.trim())?.[1];
  return name && !/^\p{N}+$/u.test(name) ? name.toLowerCase() : undefined;
}

/** The curation options of `instagramLoader()` (README "Curation"); `until` sits beside `since`. */
export const curationShape = {
  hide: z.array(postRef, { error: `an array of post links, shortcodes or media ids` }).optional(),
  hideTag: z
    .union([z.string({ error: hashtagExpected }), z.literal(false)], { error: hashtagExpected })
    .default(LOADER_DEFAULTS.hideTag)
    .superRefine((value, context) => {
      if (value === false || hashtagName(value)) return;
      context.addIssue({ code: 'custom', input: value, message: hashtagExpected });
    }),
  pin: z.array(postRef, { error: `an array of post links, shortcodes or media ids` }).optional(),
  offFeedReels: z.enum(['hide', 'keep'], { error: '"hide" or "keep"' }).default(LOADER_DEFAULTS.offFeedReels),
};

/** `since` after `until` would keep nothing: a mistake, said when content.config is evaluated. */
export function sinceBeforeUntil(options: { since?: Date | undefined; until?: Date | undefined }, context: z.RefinementCtx): void {
  const { since, until } = options;
  if (!since || !until || since <= until) return;
  context.addIssue({
    code: 'custom',
    path: ['until'],
    message: `a date after \`since\` (${since.toISOString()}), or no post is kept`,
    params: { shown: until.toISOString() },
  });
}
