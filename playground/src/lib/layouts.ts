import type { CollectionEntry } from 'astro:content';
import type { ComponentProps } from 'astro/types';
import type { InstagramFeed } from 'astro-loader-instagram/components';

type Post = CollectionEntry<'instagram'>;

/** One page of /layouts/: the `<InstagramFeed>` props it shows, and which posts. */
export interface LayoutDemo {
  slug: 'grid' | 'masonry' | 'justified' | 'carousel' | 'video';
  title: string;
  /** One line: what the layout does. */
  summary: string;
  /** Props given to `<InstagramFeed>` besides `posts` and `href`; shown as the page's code sample too. */
  props: Partial<Omit<ComponentProps<typeof InstagramFeed>, 'posts' | 'href'>>;
  /** The posts it shows. @default all */
  select?: (posts: Post[]) => Post[];
  /** What the page says when `select` keeps none. */
  empty?: string;
}

export const LAYOUT_DEMOS: LayoutDemo[] = [
  {
    slug: 'grid',
    title: 'Grid',
    summary: "Rows of equal tiles cropped to 3:4 around each photo's focal point, like Instagram's own profile grid.",
    props: { layout: 'grid', aspectRatio: '3/4', caption: 'hover' },
  },
  {
    slug: 'masonry',
    title: 'Masonry',
    summary:
      'Uncropped columns: every photo keeps its own shape. Posts run down each column (across the rows where the browser has CSS masonry).',
    props: { layout: 'masonry', columns: [2, 3, 4], caption: 'below', captionLines: 2 },
  },
  {
    slug: 'justified',
    title: 'Justified rows',
    summary: "Rows of equal height, nothing cropped: the widths are computed at build time from each image's size.",
    props: { layout: 'justified', rowHeight: 280 },
  },
  {
    slug: 'carousel',
    title: 'Carousel',
    summary: 'One scroll-snapped row with previous and next controls that work without a line of script.',
    props: { layout: 'carousel', aspectRatio: '4/5', count: 12 },
  },
  {
    slug: 'video',
    title: 'Video',
    summary:
      "Reels and videos play muted, looped and inline from the site's own MP4 (the loader's downloadVideos); visitors who ask for reduced motion see the poster.",
    props: { layout: 'grid', aspectRatio: '3/4', video: 'autoplay' },
    select: (posts) => posts.filter((post) => post.data.type === 'video'),
    empty: 'No videos or Reels in this feed yet.',
  },
];

/** A prop as it is written in an .astro file: `layout="grid"`, `columns={[2, 3, 4]}`. */
function attribute([name, value]: [string, unknown]): string {
  if (typeof value === 'string') return `${name}="${value}"`;
  return `${name}={${Array.isArray(value) ? `[${value.join(', ')}]` : JSON.stringify(value)}}`;
}

/** The `<InstagramFeed>` call a page makes, as source to show on it. */
export function feedSource(demo: LayoutDemo): string {
  const props = Object.entries(demo.props).map(attribute);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: this is source code shown on the page, not a template
  return ['<InstagramFeed', '  posts={posts}', ...props.map((prop) => `  ${prop}`), '  href={(post) => `/p/${post.id}/`}', '/>'].join('\n');
}
