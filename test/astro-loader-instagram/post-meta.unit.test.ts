import type { InstagramPostData } from 'astro-loader-instagram';
import { describe, expect, it } from 'vitest';
import {
  jsonForScript,
  postDescription,
  postHeadline,
  postStructuredData,
  shorten,
} from '../../packages/astro-loader-instagram/components/post-meta.js';

const HOSTILE = `</script><script>alert(1)</script> "double" 'single' & <!-- comment \u2028 end`;

/** A post as a page gets it; only the fields the head tags read matter here. */
function post(overrides: Partial<InstagramPostData> = {}): InstagramPostData {
  return {
    id: '18000000000000001',
    type: 'image',
    isReel: false,
    caption: 'Morning light on the new glazes.\nKiln opened at six. #ceramics',
    prunedCaption: 'Morning light on the new glazes.\nKiln opened at six.',
    hashtags: ['ceramics'],
    mentions: [],
    permalink: 'https://www.instagram.com/p/ABC123/',
    timestamp: new Date('2026-11-20T08:00:00Z'),
    username: 'demo.studio',
    alt: 'Glazed bowls on a shelf',
    placeholder: 'data:image/webp;base64,AAAA',
    color: '#aabbcc',
    children: [],
    ...overrides,
  } as InstagramPostData;
}

describe('post page head: words and JSON-LD', () => {
  it('jsonForScript: a caption cannot end the <script> element, and JSON.parse gives it back whole', () => {
    const json = jsonForScript({ caption: HOSTILE });
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(json.toLowerCase()).not.toContain('</script');
    expect(JSON.parse(json)).toEqual({ caption: HOSTILE });
  });

  it('headline: the first line of the caption without its hashtags, at most 110 characters, cut at a word', () => {
    expect(postHeadline(post(), 'Photo')).toBe('Morning light on the new glazes.');
    const long = `${'word '.repeat(40)}end`;
    const headline = postHeadline(post({ prunedCaption: long }), 'Photo');
    expect(headline.length).toBeLessThanOrEqual(110);
    expect(headline).toMatch(/^word( word)*…$/);
    expect(postHeadline(post({ caption: '', prunedCaption: '' }), 'Reel')).toBe('Reel by @demo.studio');
    expect(shorten('a  b\n\nc', 10)).toBe('a b c');
  });

  it('description: the whole pruned caption on one line, or the headline when there is no caption', () => {
    expect(postDescription(post(), 'Photo')).toBe('Morning light on the new glazes. Kiln opened at six.');
    expect(postDescription(post({ caption: '', prunedCaption: '  ' }), 'Album')).toBe('Album by @demo.studio');
  });

  it('SocialMediaPosting: author, date, images, a video with its poster, counts; no url or image without a site', () => {
    const image = { url: 'https://studio.example/_astro/a.jpg', width: 1080, height: 1350, alt: 'Glazed bowls' };
    const data = postStructuredData({
      post: post({ likeCount: 12, commentsCount: 3 }),
      headline: 'Morning light',
      description: 'Morning light on the new glazes.',
      url: 'https://studio.example/p/18000000000000001/',
      images: [image],
    });
    expect(data).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'SocialMediaPosting',
      url: 'https://studio.example/p/18000000000000001/',
      headline: 'Morning light',
      datePublished: '2026-11-20T08:00:00.000Z',
      author: { '@type': 'Person', alternateName: 'demo.studio', url: 'https://www.instagram.com/demo.studio/' },
      sameAs: ['https://www.instagram.com/p/ABC123/'],
      image: [{ '@type': 'ImageObject', contentUrl: image.url, width: 1080, height: 1350 }],
      sharedContent: [{ '@type': 'ImageObject', contentUrl: image.url }],
      interactionStatistic: [
        { '@type': 'InteractionCounter', interactionType: 'https://schema.org/LikeAction', userInteractionCount: 12 },
        { '@type': 'InteractionCounter', interactionType: 'https://schema.org/CommentAction', userInteractionCount: 3 },
      ],
    });
    const reel = postStructuredData({
      post: post({ type: 'video', isReel: true }),
      headline: 'A Reel',
      description: 'd',
      images: [{ ...image, video: 'https://studio.example/_instagram/videos/1.mp4' }],
    });
    expect(reel.image).toEqual([expect.objectContaining({ '@type': 'ImageObject', contentUrl: image.url })]);
    expect(reel.sharedContent).toEqual([
      {
        '@type': 'VideoObject',
        contentUrl: 'https://studio.example/_instagram/videos/1.mp4',
        thumbnailUrl: image.url,
        name: 'A Reel',
        description: image.alt,
        uploadDate: '2026-11-20T08:00:00.000Z',
      },
    ]);
    const bare = postStructuredData({ post: post({ caption: '' }), headline: 'h', description: 'd', images: [] });
    for (const key of ['url', '@id', 'mainEntityOfPage', 'image', 'sharedContent', 'interactionStatistic', 'articleBody']) {
      expect(bare, key).not.toHaveProperty(key);
    }
  });
});
