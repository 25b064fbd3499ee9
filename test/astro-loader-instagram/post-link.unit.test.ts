import { instagramLoader } from 'astro-loader-instagram';
import { type FakeInstagram, startFakeInstagram } from 'fake-instagram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLoaderOptions } from '../../packages/astro-loader-instagram/src/options.js';
import { captionLink, httpUrl, postLink, unmatchedLinksLine } from '../../packages/astro-loader-instagram/src/post-link.js';
import { createLoaderHarness, type LoaderHarness } from '../helpers/loader-context.js';

/**
 * A post's link (issue 15, "Links"): what the caption holds as owners write it in the app (bare
 * domains, punctuation, brackets, a word and a colon), the site's `links` map over it, and never
 * anything but http(s).
 */

const post = (caption: string, shortcode = 'DAbC123xyz') => ({
  id: '17912345678901234',
  shortcode,
  permalink: `https://www.instagram.com/p/${shortcode}/`,
  caption,
});

describe('the link a caption holds', () => {
  it('a line "Word: address" gives the address and the word as its label; a bare domain gets https://', () => {
    expect(captionLink('New mugs are in!\nShop: example.com/mugs\n#ceramics')).toEqual({ url: 'https://example.com/mugs', label: 'Shop' });
    expect(captionLink('Book: https://studio.example/workshops')).toEqual({ url: 'https://studio.example/workshops', label: 'Book' });
    expect(captionLink('menu: www.cafe.example/menu')).toEqual({ url: 'https://www.cafe.example/menu', label: 'Menu' });
    // Up to three words, and an emoji or arrow before or after the colon, as owners write them.
    expect(captionLink('🛒 Book a table: 👉 cafe.example/book')).toEqual({ url: 'https://cafe.example/book', label: 'Book a table' });
    expect(captionLink('Réserver: cafe.example/fr')).toEqual({ url: 'https://cafe.example/fr', label: 'Réserver' });
  });

  it('"Link:" (or URL:, Website:) gives the address without a label, so the component picks the word', () => {
    expect(captionLink('Link: example.com/menu')).toEqual({ url: 'https://example.com/menu' });
    expect(captionLink('website: https://example.com/')).toEqual({ url: 'https://example.com/' });
  });

  it('the first http(s) address anywhere in the caption, when no line names one', () => {
    expect(captionLink('Read the story at https://blog.example/kiln and https://other.example/')).toEqual({
      url: 'https://blog.example/kiln',
    });
    expect(captionLink('old site http://example.com/a')).toEqual({ url: 'http://example.com/a' });
    expect(captionLink('all at www.example.com/all today')).toEqual({ url: 'https://www.example.com/all' });
  });

  it('a labelled line wins over an address earlier in the caption; the first labelled line wins', () => {
    expect(captionLink('Story: https://blog.example/x\nShop: shop.example/mug')).toEqual({ url: 'https://blog.example/x', label: 'Story' });
    // The address must follow the colon: "Story: see …" is a sentence, not a link line.
    expect(captionLink('Story: see https://blog.example/x in full\nShop: shop.example/mug')).toEqual({
      url: 'https://shop.example/mug',
      label: 'Shop',
    });
    expect(captionLink('Seen on https://blog.example/x\nShop: shop.example/mug')).toEqual({
      url: 'https://shop.example/mug',
      label: 'Shop',
    });
  });

  it('trailing punctuation and unbalanced brackets are not part of the address', () => {
    expect(captionLink('Menu: example.com/menu.')).toEqual({ url: 'https://example.com/menu', label: 'Menu' });
    expect(captionLink('Shop: example.com/x!!')).toEqual({ url: 'https://example.com/x', label: 'Shop' });
    expect(captionLink('Menu: (example.com/menu)')).toEqual({ url: 'https://example.com/menu', label: 'Menu' });
    expect(captionLink('Order ahead (https://cafe.example/order).')).toEqual({ url: 'https://cafe.example/order' });
    expect(captionLink('See "https://cafe.example/q?a=1",')).toEqual({ url: 'https://cafe.example/q?a=1' });
    // A bracket that belongs to the address stays.
    expect(captionLink('https://en.wikipedia.org/wiki/Raku_(pottery).')).toEqual({ url: 'https://en.wikipedia.org/wiki/Raku_(pottery)' });
  });

  it('never anything but http(s): javascript:, data:, ftp: and mailto: are ignored', () => {
    expect(captionLink('Link: javascript:alert(document.cookie)')).toBeUndefined();
    expect(captionLink('Shop: data:text/html,<script>alert(1)</script>')).toBeUndefined();
    expect(captionLink('Files: ftp://files.example/a')).toBeUndefined();
    expect(captionLink('Mail: mailto:hi@example.com')).toBeUndefined();
    expect(captionLink('javascript:alert(1) https://')).toBeUndefined();
    expect(httpUrl('javascript:alert(1)')).toBeUndefined();
    expect(httpUrl('JAVASCRIPT://example.com/%0aalert(1)')).toBeUndefined();
  });

  it('ordinary captions hold no link: times, sentences, mentions, bare domains mid-sentence', () => {
    for (const caption of [
      'Open 8–4 today · 12 Market Lane',
      'Flat white & a quiet corner. That’s the post.',
      'Hours: 10.30 to 4',
      'Thanks @mara.makes for the lovely words',
      'Link in bio for the booking page.',
      'We love example.com and Node.js',
      '',
    ]) {
      expect(captionLink(caption), caption).toBeUndefined();
    }
  });
});

describe("the site's `links` map", () => {
  it('wins over the caption, by shortcode, permalink or media id', () => {
    const withCaption = post('Shop: caption.example/x');
    expect(postLink(withCaption, { DAbC123xyz: 'https://map.example/a' })).toEqual({ url: 'https://map.example/a' });
    expect(postLink(withCaption, { 'https://www.instagram.com/p/DAbC123xyz/': { url: 'https://map.example/b', label: 'Buy' } })).toEqual({
      url: 'https://map.example/b',
      label: 'Buy',
    });
    expect(postLink(withCaption, { '17912345678901234': 'https://map.example/c' })).toEqual({ url: 'https://map.example/c' });
    // Another post's entry does not apply: the caption's link does.
    expect(postLink(withCaption, { ZZZ999zzzzz: 'https://map.example/d' })).toEqual({ url: 'https://caption.example/x', label: 'Shop' });
    expect(postLink(post('no link here'))).toBeUndefined();
  });

  it('a javascript: or data: URL (or a bare domain) in the map fails the options with one line naming the key', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'example.com/menu', 'ftp://files.example/']) {
      expect(() => checkLoaderOptions({ links: { DAbC123xyz: url } })).toThrow(
        new RegExp(
          `option \`links\\.DAbC123xyz\` must be an http\\(s\\) URL like "https://shop\\.example/mug", or \\{ url, label \\}, got "${url.replace(/[.()/]/g, '\\$&')}"`,
        ),
      );
    }
    expect(() => checkLoaderOptions({ links: { DAbC123xyz: { url: 'javascript:alert(1)', label: 'Shop' } } })).toThrow(
      /`links\.DAbC123xyz\.url` must be an http\(s\) URL/,
    );
    expect(() => checkLoaderOptions({ links: { 'not a post': 'https://a.example/' } })).toThrow(
      /option `links\.not a post` must be under a post's shortcode \(like "DAbC123xyz", from instagram\.com\/p\/DAbC123xyz\/\), permalink or media id/,
    );
    expect(checkLoaderOptions({ links: { DAbC123xyz: 'https://shop.example/mug' } }).links).toEqual({
      DAbC123xyz: 'https://shop.example/mug',
    });
  });

  it('names a post in every form `hide` and `pin` take, and a look-alike host is no Instagram link', () => {
    const withCaption = post('');
    for (const key of [
      'https://instagr.am/p/DAbC123xyz/',
      'm.instagram.com/reel/DAbC123xyz/?igsh=abc',
      'instagram.com/acme/p/DAbC123xyz',
    ]) {
      expect(postLink(withCaption, { [key]: 'https://map.example/a' }), key).toEqual({ url: 'https://map.example/a' });
      expect(checkLoaderOptions({ links: { [key]: 'https://map.example/a' }, hide: [key] }).links, key).toBeDefined();
    }
    expect(() => checkLoaderOptions({ links: { 'https://evil-instagram.com/p/DAbC123xyz/': 'https://a.example/' } })).toThrow(
      /must be under a post's shortcode/,
    );
  });

  it('keys that match no post are named in one warning line', () => {
    expect(unmatchedLinksLine([post('')], { DAbC123xyz: 'https://a.example/' })).toBeUndefined();
    expect(unmatchedLinksLine([post('')], { DAbC123xyz: 'https://a.example/', Typo000000: 'https://b.example/' })).toBe(
      'links: no post in the feed matches "Typo000000", so that link is not shown. Check the shortcode (the code in the post\'s URL, instagram.com/p/<shortcode>/), or remove the entry if the post is deleted, archived or outside limit/since.',
    );
  });
});

describe('entries carry link, through the loader', () => {
  let fake: FakeInstagram;
  let harness: LoaderHarness;
  beforeAll(async () => {
    fake = await startFakeInstagram({ posts: 6, seed: 3 });
    fake.editCaption(fake.media[0]!.id, 'New glaze!\nShop: shop.example/oat-bowl.\n#ceramics');
    fake.editCaption(fake.media[1]!.id, 'Recipe at https://blog.example/buns');
    fake.editCaption(fake.media[2]!.id, 'Link: javascript:alert(1)');
    harness = await createLoaderHarness(instagramLoader({ token: fake.token, apiUrl: fake.url, retries: 0 }));
    await harness.load();
  });
  afterAll(async () => {
    await harness?.cleanup();
    await fake?.close();
  });
  const linkOf = (index: number) => harness.store.get(fake.media[index]!.id)?.data.link;

  it('from the caption: a labelled line, a plain address; a javascript: one gives none', () => {
    expect(linkOf(0)).toEqual({ url: 'https://shop.example/oat-bowl', label: 'Shop' });
    expect(linkOf(1)).toEqual({ url: 'https://blog.example/buns' });
    expect(linkOf(2)).toBeUndefined();
  });

  it('a changed links map updates the entries at the next load (the link is in the digest), and an unknown key warns', async () => {
    const shortcode = fake.media[0]!.shortcode!;
    const next = instagramLoader({
      token: fake.token,
      apiUrl: fake.url,
      retries: 0,
      links: { [shortcode]: { url: 'https://shop.example/map', label: 'Buy' }, Gone0000000: 'https://a.example/' },
    });
    await harness.load(next);
    expect(linkOf(0)).toEqual({ url: 'https://shop.example/map', label: 'Buy' });
    expect(linkOf(1)).toEqual({ url: 'https://blog.example/buns' });
    expect(harness.logger.messages('info').join('\n')).toMatch(/1 updated, 5 unchanged/);
    expect(harness.logger.messages('warn')).toContainEqual(expect.stringContaining('links: no post in the feed matches "Gone0000000"'));
  });
});
