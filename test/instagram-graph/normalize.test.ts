import { captionParts } from 'astro-loader-instagram';
import { InvalidMediaError, normalizeMedia, parseCaption, parseInstagramTimestamp, tokenizeCaption } from 'instagram-graph';
import { describe, expect, it } from 'vitest';

const base = {
  id: '17918920912340654',
  media_type: 'IMAGE',
  media_url: 'https://scontent-iad3-1.cdninstagram.com/v/t51.29350-15/1_n.jpg?oh=00_x&oe=6A1BE7E2',
  permalink: 'https://www.instagram.com/p/CEuzou0hKS2/',
  timestamp: '2019-09-26T22:36:43+0000',
  username: 'acme',
};

describe('normalizeMedia', () => {
  it('keeps ids above 2^53 as exact strings', () => {
    const post = normalizeMedia({ ...base, id: '18446744073709551615' });
    expect(post.id).toBe('18446744073709551615');
    expect(Number(post.id) > Number.MAX_SAFE_INTEGER).toBe(true);
  });

  it('reads the colon-less +0000 offset Instagram sends', () => {
    expect(normalizeMedia(base).timestamp.toISOString()).toBe('2019-09-26T22:36:43.000Z');
  });

  it('handles a post without caption', () => {
    const post = normalizeMedia(base);
    expect(post).toMatchObject({ caption: '', prunedCaption: '', hashtags: [], mentions: [], type: 'image', isReel: false });
    expect(post).not.toHaveProperty('likeCount');
  });

  it('parses emoji, hashtags, mentions and newlines in a caption', () => {
    const post = normalizeMedia({ ...base, caption: 'Spring menu 🌸 with @friend.one\nCome by! 🥞\n\n#brunch #café #Brunch @acme' });
    expect(post.hashtags).toEqual(['brunch', 'café']);
    expect(post.mentions).toEqual(['friend.one', 'acme']);
    expect(post.prunedCaption).toBe('Spring menu 🌸 with @friend.one\nCome by! 🥞');
  });

  it('maps carousels with nested children, including a video child', () => {
    const post = normalizeMedia({
      ...base,
      media_type: 'CAROUSEL_ALBUM',
      children: {
        data: [
          { id: '18045678901234567', media_type: 'IMAGE', media_url: 'https://scontent.cdninstagram.com/c1.jpg' },
          { id: '18056789012345678', media_type: 'VIDEO', media_url: 'https://x/c2.mp4', thumbnail_url: 'https://x/c2.jpg' },
        ],
      },
    });
    expect(post.type).toBe('carousel');
    expect(post.children.map((child) => child.type)).toEqual(['image', 'video']);
  });

  it('marks reels, and keeps a reel without media_url (licensed audio)', () => {
    const { media_url: _omitted, ...reel } = base;
    const post = normalizeMedia({ ...reel, media_type: 'VIDEO', media_product_type: 'REELS', thumbnail_url: 'https://x/t.jpg' });
    expect(post).toMatchObject({ type: 'video', isReel: true, thumbnailUrl: 'https://x/t.jpg' });
    expect(post.mediaUrl).toBeUndefined();
  });

  it('says whether a reel is on the main grid (is_shared_to_feed), and nothing when Instagram did not', () => {
    const reel = { ...base, media_type: 'VIDEO', media_product_type: 'REELS', thumbnail_url: 'https://x/t.jpg' };
    expect(normalizeMedia({ ...reel, is_shared_to_feed: false }).sharedToFeed).toBe(false);
    expect(normalizeMedia({ ...reel, is_shared_to_feed: true }).sharedToFeed).toBe(true);
    expect(normalizeMedia(reel)).not.toHaveProperty('sharedToFeed');
  });

  it('refuses ids that could escape a folder, naming the item', () => {
    expect(() => normalizeMedia({ ...base, id: '../../etc/passwd' })).toThrow(InvalidMediaError);
    expect(() => normalizeMedia({ ...base, id: '../../etc/passwd' })).toThrow(/skipped: the id is not a numeric string/);
  });

  it('refuses unknown media types and unreadable timestamps', () => {
    expect(() => normalizeMedia({ ...base, media_type: 'STORY' })).toThrow(/unknown media_type/);
    expect(() => normalizeMedia({ ...base, timestamp: 'yesterday' })).toThrow(/unreadable timestamp/);
  });
});

describe('parseInstagramTimestamp', () => {
  it.each([
    ['2026-11-20T09:12:00+0000', '2026-11-20T09:12:00.000Z'],
    ['2026-11-20T09:12:00+00:00', '2026-11-20T09:12:00.000Z'],
    ['2026-11-20T09:12:00Z', '2026-11-20T09:12:00.000Z'],
    ['2026-11-20T09:12:00', '2026-11-20T09:12:00.000Z'],
    ['2026-11-20T11:12:00+0200', '2026-11-20T09:12:00.000Z'],
    ['1795165920', '2026-11-20T09:12:00.000Z'],
  ])('%s', (input, iso) => {
    expect(parseInstagramTimestamp(input)?.toISOString()).toBe(iso);
  });

  it('returns undefined for garbage', () => {
    expect(parseInstagramTimestamp('not a date')).toBeUndefined();
    expect(parseInstagramTimestamp(undefined)).toBeUndefined();
  });
});

describe('parseCaption', () => {
  it('does not treat emails or anchors as mentions or hashtags', () => {
    const parsed = parseCaption('Mail hello@studio.com or see page#3 &#x27;');
    expect(parsed.mentions).toEqual([]);
    expect(parsed.hashtags).toEqual([]);
  });
});

describe('one caption tokenizer for data and links', () => {
  const tags = (caption: string) =>
    tokenizeCaption(caption)
      .filter((token) => token.type !== 'text')
      .map((token) => token.text);

  it.each([
    ['#2024 was good', [], 'digits only: no hashtag'],
    ['#2024s #_2024', ['#2024s', '#_2024'], 'digits with a letter or underscore'],
    ['Paris #café!', ['#café'], 'accented letters'],
    ['#日本 #日本2024', ['#日本', '#日本2024'], 'any script'],
    ['#नमस्ते', ['#नमस्ते'], 'combining marks'],
    ['with @josé', [], 'a username cannot hold é; linking @jos would name another account'],
    ['mail email@example.com', [], 'emails are no mentions'],
    ['thanks @user.', ['@user'], 'a trailing dot ends the sentence'],
    ['thanks @user.name, and @a_b.c...', ['@user.name', '@a_b.c'], 'dots inside a username'],
    [`@${'a'.repeat(30)} @${'b'.repeat(31)}`, [`@${'a'.repeat(30)}`], 'usernames have at most 30 characters'],
    ['see page#3 &#x27; https://x.com/#top https://medium.com/@writer', [], 'anchors, entities and URLs'],
  ])('%s', (caption, expected) => {
    expect(tags(caption)).toEqual(expected);
  });

  it('gives the data and the rendered links the same tags', () => {
    const caption = 'Best of #2024 at #café with @josé, @user. and @friend.one #日本 mail a@b.co';
    const parsed = parseCaption(caption);
    expect(parsed.hashtags).toEqual(['café', '日本']);
    expect(parsed.mentions).toEqual(['user', 'friend.one']);
    const links = captionParts(caption).filter((part) => part.href);
    expect(links.map((part) => part.text)).toEqual(['#café', '@user', '@friend.one', '#日本']);
    expect(links.map((part) => part.href)).toEqual([
      'https://www.instagram.com/explore/tags/caf%C3%A9/',
      'https://www.instagram.com/user/',
      'https://www.instagram.com/friend.one/',
      'https://www.instagram.com/explore/tags/%E6%97%A5%E6%9C%AC/',
    ]);
    expect(
      captionParts(caption)
        .map((part) => part.text)
        .join(''),
    ).toBe(caption);
  });

  it('prunes the trailing tag block with its spacer lines, keeping the sentence', () => {
    expect(parseCaption('Nice day.\n.\n.\n#a #b @c').prunedCaption).toBe('Nice day.');
    expect(parseCaption('Nice day • #a #b').prunedCaption).toBe('Nice day');
    expect(parseCaption('Best of #2024').prunedCaption).toBe('Best of #2024');
    expect(parseCaption('#only #tags').prunedCaption).toBe('');
  });
});
