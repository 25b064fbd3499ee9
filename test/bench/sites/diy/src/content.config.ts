import { defineCollection } from 'astro:content';
import { z } from 'astro/zod';

// A hand-written inline loader: every page of /me/media, with album children nested, keeping
// Instagram's signed CDN URLs as they come.
const API = process.env.INSTAGRAM_API_URL || 'https://graph.instagram.com';
const FIELDS = 'id,caption,media_type,media_url,thumbnail_url,permalink,timestamp,children{id,media_type,media_url,thumbnail_url}';

interface RawMedia {
  id: string;
  caption?: string;
  media_type: 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM';
  media_url?: string;
  thumbnail_url?: string;
  permalink: string;
  timestamp: string;
  children?: { data: RawMedia[] };
}

/** The still picture of a media item: a video's poster frame, else its media_url. */
const picture = (media: RawMedia) => (media.media_type === 'VIDEO' ? media.thumbnail_url : media.media_url);

async function fetchAllMedia(): Promise<RawMedia[]> {
  const token = process.env.INSTAGRAM_TOKEN;
  if (!token) throw new Error('Set INSTAGRAM_TOKEN');
  const media: RawMedia[] = [];
  let next: string | undefined = `${API}/v25.0/me/media?${new URLSearchParams({ fields: FIELDS, limit: '100', access_token: token })}`;
  while (next) {
    const response = await fetch(next);
    if (!response.ok) throw new Error(`Instagram API: HTTP ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { data: RawMedia[]; paging?: { next?: string } };
    media.push(...page.data);
    next = page.paging?.next;
  }
  return media;
}

const instagram = defineCollection({
  loader: async () => {
    const media = await fetchAllMedia();
    return media.flatMap((post) => {
      const image = picture(post);
      if (!image) return [];
      const children = post.children?.data ?? [];
      const slides = children.length > 0 ? children.map(picture).filter((url): url is string => Boolean(url)) : [image];
      return [{ id: post.id, caption: post.caption ?? '', permalink: post.permalink, timestamp: post.timestamp, image, slides }];
    });
  },
  schema: z.object({
    caption: z.string(),
    permalink: z.string(),
    timestamp: z.coerce.date(),
    image: z.string(),
    slides: z.array(z.string()),
  }),
});

export const collections = { instagram };
