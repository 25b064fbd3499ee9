import type { Rng } from './rng.js';

const OPENERS = [
  'Fresh out of the oven 🥐',
  'Sunday slow mornings ☕️',
  'New in the studio: hand-thrown mugs in speckled oat glaze',
  'Our cardamom buns are back!! 🌿',
  'Rainy day, warm kiln 🌧️🔥',
  'Spring menu 🌸 is finally here',
  'Behind the scenes at the wheel',
  'Glaze tests, round 47 🧪',
  'Flat white & a quiet corner. That’s the post.',
  'We’re turning 5 this week 🎉🎂',
  'Market day! Find us at stall 12 🧺',
  'Throwing bowls until the light goes',
  'Pour-over of the week: Ethiopia Guji ☕',
  'Little things we love lately ✨',
  'Workshop recap — thank you all! 🙏',
  'Late summer light through the studio windows',
];

const MIDDLES = [
  'Open 8–4 today · 12 Market Lane',
  'Only a handful left, come early.',
  'Every piece is one of a kind, so tiny differences are part of the charm.',
  'Swipe to see the whole process ➡️',
  'Tag us if you grab one 💛',
  'Link in bio for the booking page.',
  'Made with oat milk from down the road 🥛',
  'Mondays we’re closed for firing.',
  'Saturday workshops are sold out — next dates soon!',
  'Which one is your favourite? 1, 2 or 3? 👇',
];

const MENTIONS = [
  '📸 by @lena.takes.photos',
  'Collab with @oatandember',
  'Beans from our friends @north.roasters',
  'Flowers by @wild_stems_co 🌷',
  'Thanks @mara.makes for the lovely words',
];

const HASHTAGS = [
  '#ceramics',
  '#pottery',
  '#handmade',
  '#coffee',
  '#specialtycoffee',
  '#cafe',
  '#latteart',
  '#smallbusiness',
  '#studiolife',
  '#slowliving',
  '#bakery',
  '#brunch',
  '#wheelthrown',
  '#glaze',
  '#kiln',
  '#shoplocal',
  '#coffeetime',
  '#madebyhand',
];

/**
 * Call-to-action lines as owners write them in the app: a word, a colon, a bare domain (captions
 * are never clickable, so nobody types https://), sometimes with an emoji or a full stop.
 */
const LINK_LINES = [
  'Shop: demo-studio.example/shop/speckled-mug',
  'Book: demo-studio.example/workshops.',
  'Menu: demo-studio.example/menu',
  '🛒 Shop: demo-studio.example/shop/oat-glaze-bowls',
  'Link: demo-studio.example/journal/kiln-day',
  'Order ahead (https://demo-studio.example/order)',
];

export const ALT_TEXTS = [
  'A speckled ceramic mug with latte art on a wooden table',
  'Plate of cardamom buns dusted with sugar next to a window',
  'Hands shaping a bowl on a pottery wheel',
  'Shelves of glazed cups in blue and cream tones',
  'Barista pouring milk into a flat white',
  'Close-up of glaze test tiles arranged in a grid',
  'Sunlit café corner with a plant and two chairs',
  'A stack of handmade plates tied with string',
];

/**
 * About one caption in four gains a link line before its hashtags. `linkRng` is its own stream, so
 * adding links changed nothing else a seed gives (ids, shapes, the rest of each caption).
 */
export function withLinkLine(caption: string | undefined, linkRng: Rng): string | undefined {
  const line = linkRng.pick(LINK_LINES);
  if (caption === undefined || !linkRng.chance(0.25)) return caption;
  const lines = caption.split('\n');
  const tags = lines.at(-1)?.startsWith('#') ? lines.length - 1 : lines.length;
  return [...lines.slice(0, tags), line, ...lines.slice(tags)].join('\n');
}

/** A realistic caption, or undefined (~1 in 10 posts have none). */
export function makeCaption(rng: Rng): string | undefined {
  if (rng.chance(0.1)) return undefined;
  const lines: string[] = [rng.pick(OPENERS)];
  if (rng.chance(0.6)) lines.push(rng.pick(MIDDLES));
  if (rng.chance(0.3)) lines.push(rng.pick(MIDDLES));
  if (rng.chance(0.35)) lines.push(rng.pick(MENTIONS));
  const tagCount = rng.chance(0.2) ? 0 : rng.int(1, 6);
  const tags = new Set<string>();
  while (tags.size < tagCount) tags.add(rng.pick(HASHTAGS));
  if (tags.size > 0) lines.push([...tags].join(' '));
  // Mix paragraph breaks and single newlines, as people do.
  return lines.reduce((text, line) => text + (rng.chance(0.5) ? '\n\n' : '\n') + line);
}
