import { describe, expect, it } from 'vitest';
import {
  breakpoints,
  cssString,
  defaultSizes,
  feedCss,
  gapLength,
  justifiedFlex,
  maxColumns,
  objectPosition,
  rowHeightPx,
  tileAspectRatio,
  tileCount,
  transitionName,
} from '../../packages/astro-loader-instagram/components/feed-layout.js';
import { checkedLocale, countWords, DEFAULT_LABELS, labelsWith } from '../../packages/astro-loader-instagram/components/labels.js';
import { transitionNameOnPage, uniqueOnPage } from '../../packages/astro-loader-instagram/components/lightbox.js';

describe('feed layout arithmetic', () => {
  it('reads columns as a number, a list (phones, 640, 1024) or { minWidthPx: columns }', () => {
    expect(breakpoints()).toEqual([
      { minWidth: 0, columns: 2 },
      { minWidth: 480, columns: 3 },
    ]);
    expect(breakpoints(4)).toEqual([{ minWidth: 0, columns: 4 }]);
    expect(breakpoints([1, 2, 4])).toEqual([
      { minWidth: 0, columns: 1 },
      { minWidth: 640, columns: 2 },
      { minWidth: 1024, columns: 4 },
    ]);
    // Unsorted keys are sorted; the smallest applies below itself too.
    expect(breakpoints({ 900: 5, 300: 2 })).toEqual([
      { minWidth: 0, columns: 2 },
      { minWidth: 900, columns: 5 },
    ]);
    expect(maxColumns(breakpoints([1, 4, 3]))).toBe(4);
  });

  it('rejects columns it cannot lay out, in one line that says what to pass', () => {
    expect(() => breakpoints(0)).toThrow(
      /0 is not a whole number of columns\. Pass a number, a list of up to 3 numbers, or \{ minWidthPx: columns \}\./,
    );
    expect(() => breakpoints([1, 2, 3, 4])).toThrow(/a list has at most 3 entries/);
    expect(() => breakpoints({ [-5]: 2 })).toThrow(/-5 is not a width in pixels/);
    expect(() => breakpoints([])).toThrow(/no columns given/);
    // An object's bad key is named as written, not taken for a list's 4th entry.
    expect(() => breakpoints({ '640px': 3 } as never)).toThrow(/: 640px is not a width in pixels\./);
    expect(() => breakpoints({ '': 3 } as never)).toThrow(/: {2}is not a width in pixels\./);
  });

  it('takes count, initial and priority as whole numbers from 0 up, never one that slices from the end', () => {
    expect(tileCount('count', undefined)).toBeUndefined();
    expect(tileCount('initial', 0)).toBe(0);
    expect(tileCount('count', 12)).toBe(12);
    expect(() => tileCount('count', -2)).toThrow(
      /^<InstagramFeed count=\{-2\}>: give a whole number of tiles from 0 up, or leave the prop out for its default\.$/,
    );
    expect(() => tileCount('initial', 2.5)).toThrow(/<InstagramFeed initial=\{2\.5\}>/);
    expect(() => tileCount('priority', Number.NaN)).toThrow(/<InstagramFeed priority=\{NaN\}>/);
  });

  it('takes rowHeight in pixels above 0, and a locale only as a language tag, each failing in one line', () => {
    expect(rowHeightPx()).toBe(260);
    expect(rowHeightPx(180)).toBe(180);
    expect(() => rowHeightPx(0)).toThrow(/^<InstagramFeed rowHeight=\{0\}>: give the justified rows' height in pixels, above 0/);
    expect(() => rowHeightPx(Number.NaN)).toThrow(/rowHeight=\{NaN\}/);
    expect(checkedLocale('de-DE', 'InstagramFeed')).toBe('de-DE');
    expect(() => checkedLocale('de_DE', 'InstagramLightbox')).toThrow(
      /^<InstagramLightbox locale="de_DE">: not a BCP 47 language tag; give one such as 'en', 'de-DE' or 'pt-BR'\.$/,
    );
  });

  it('gives a post shown twice on one page a second id, and keeps pages apart', () => {
    const page = {};
    expect(uniqueOnPage(page, 'ig-lightbox-1')).toBe('ig-lightbox-1');
    expect(uniqueOnPage(page, 'ig-lightbox-2')).toBe('ig-lightbox-2');
    expect(uniqueOnPage(page, 'ig-lightbox-1')).toBe('ig-lightbox-1-2');
    expect(uniqueOnPage(page, 'ig-lightbox-1')).toBe('ig-lightbox-1-3');
    expect(uniqueOnPage({}, 'ig-lightbox-1')).toBe('ig-lightbox-1');
    expect(Object.keys(page)).toEqual([]);
  });

  it("names a post's view transition once per page: a second element of one name would cancel it", () => {
    const page = {};
    expect(transitionNameOnPage(page, '17.9')).toBe('ig-17-9');
    expect(transitionNameOnPage(page, '17.9')).toBeUndefined();
    expect(transitionNameOnPage({}, '17.9')).toBe('ig-17-9');
  });

  it('keeps the English word for a label given as undefined (a missing translation)', () => {
    const labels = labelsWith({ showMore: 'Mehr anzeigen', close: undefined, likes: undefined });
    expect(labels.showMore).toBe('Mehr anzeigen');
    expect(labels.close).toBe('Close');
    expect(labels.likes('3')).toBe(DEFAULT_LABELS.likes('3'));
  });

  it('words only the counts Instagram returned, formatted for the locale', () => {
    const labels = labelsWith({ comments: (count) => `${count} Kommentare` });
    const german = new Intl.NumberFormat('de');
    expect(countWords({ likeCount: 1204, commentsCount: 0 }, labels, german)).toEqual(['1.204 likes', '0 Kommentare']);
    expect(countWords({ commentsCount: 3 }, labels, german)).toEqual(['3 Kommentare']);
    expect(countWords({}, labels, german)).toEqual([]);
  });

  it('takes gap in pixels or as a CSS length, never text that could leave its declaration', () => {
    expect(gapLength()).toBe('8px');
    expect(gapLength(0)).toBe('0px');
    expect(gapLength('clamp(4px, 1vw, 12px)')).toBe('clamp(4px, 1vw, 12px)');
    expect(() => gapLength('1px}body{display:none')).toThrow(/not a CSS length/);
    expect(() => gapLength(-1)).toThrow(/from 0 up/);
  });

  it('derives sizes from the columns, widest breakpoint first', () => {
    expect(defaultSizes(breakpoints(), 'grid', 260, 1)).toBe('(min-width: 480px) 34vw, 50vw');
    expect(defaultSizes(breakpoints([1, 2, 4]), 'carousel', 260, 1)).toBe('(min-width: 1024px) 25vw, (min-width: 640px) 50vw, 100vw');
    // Justified tiles are about rowHeight tall whatever the columns.
    expect(defaultSizes(breakpoints(), 'justified', 200, 1.5)).toBe('(max-width: 405px) 100vw, 405px');
  });

  it('writes one rule set per settings: columns per breakpoint, gap, clamp and the carousel labels', () => {
    const { className, css } = feedCss({
      points: breakpoints([1, 2, 4]),
      gap: '12px',
      captionLines: 3,
      previous: 'Zurück',
      next: 'Weiter "mehr"',
    });
    expect(className).toMatch(/^ig-feed-[0-9a-z]+$/);
    expect(css).toContain(`.${className}{--ig-columns:1;--ig-gap:12px;--ig-caption-lines:3}`);
    expect(css).toContain(`@media (min-width:640px){.${className}{--ig-columns:2}}`);
    expect(css).toContain(`@media (min-width:1024px){.${className}{--ig-columns:4}}`);
    expect(css).toContain(`.${className}.ig-feed--carousel::scroll-button(right){content:"\\203A" / "Weiter \\"mehr\\""}`);
    expect(
      feedCss({ points: breakpoints([1, 2, 4]), gap: '12px', captionLines: 3, previous: 'Zurück', next: 'Weiter "mehr"' }).className,
    ).toBe(className);
    expect(
      feedCss({ points: breakpoints([1, 2, 4]), gap: '8px', captionLines: 3, previous: 'Zurück', next: 'Weiter "mehr"' }).className,
    ).not.toBe(className);
    expect(() => feedCss({ points: breakpoints(), gap: '8px', captionLines: 0, previous: '', next: '' })).toThrow(/captionLines=\{0\}/);
  });

  it('escapes a label so it cannot close the style element or the string', () => {
    expect(cssString('a</style><b>"\\')).toBe('"a\\3c /style>\\3c b>\\"\\\\"');
  });

  it('crops grid and carousel tiles to aspectRatio, keeps the image ratio otherwise', () => {
    const image = { width: 1080, height: 1350 };
    expect(tileAspectRatio('grid', '3/4', image)).toBe('3 / 4');
    expect(tileAspectRatio('carousel', '1/1', image)).toBe('1 / 1');
    expect(tileAspectRatio('grid', 'original', image)).toBe('1080 / 1350');
    expect(tileAspectRatio('masonry', '3/4', image)).toBe('1080 / 1350');
    expect(tileAspectRatio('justified', '3/4', image)).toBe('1080 / 1350');
  });

  it('grows and sizes justified tiles in proportion to width/height', () => {
    expect(justifiedFlex({ width: 1080, height: 1350 }, 200)).toBe('flex: 160 1 160px');
    expect(justifiedFlex({ width: 1080, height: 566 }, 200)).toBe('flex: 381.6254 1 381.6254px');
  });

  it('positions a crop at the focal point, the centre without one; names transitions per post', () => {
    expect(objectPosition({ x: 20, y: 80 })).toBe('20% 80%');
    expect(objectPosition(undefined)).toBe('50% 50%');
    expect(transitionName('17895695668004550')).toBe('ig-17895695668004550');
    expect(transitionName('a b/c')).toBe('ig-a-b-c');
  });
});
