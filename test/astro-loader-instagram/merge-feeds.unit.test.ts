import { describe, expect, it } from 'vitest';
import { accountCount, mergeFeeds } from '../../packages/astro-loader-instagram/src/merge-feeds.js';

/** An entry as getCollection() returns it, with what mergeFeeds reads. */
const entry = (collection: string, id: string, iso: string, username = collection) => ({
  id,
  collection,
  data: { id, timestamp: new Date(iso), username },
});

describe('mergeFeeds', () => {
  it('merges several collections newest first, whatever order each is in', () => {
    const studio = [
      entry('studio', '17900000000000001', '2026-03-01T10:00:00Z'),
      entry('studio', '17900000000000003', '2026-03-05T10:00:00Z'),
    ];
    const shop = [entry('shop', '17900000000000002', '2026-03-03T10:00:00Z'), entry('shop', '17900000000000004', '2026-02-01T10:00:00Z')];
    const merged = mergeFeeds(studio, shop);
    expect(merged.map((post) => post.id)).toEqual(['17900000000000003', '17900000000000002', '17900000000000001', '17900000000000004']);
    expect(merged.map((post) => post.collection)).toEqual(['studio', 'shop', 'studio', 'shop']);
    // The inputs are left as they were.
    expect(studio.map((post) => post.id)).toEqual(['17900000000000001', '17900000000000003']);
  });

  it('orders posts of the same second by media id, newest id first, compared as digits not numbers', () => {
    const at = '2026-03-01T10:00:00Z';
    // Both above 2^53: as numbers they would compare equal.
    const a = entry('a', '17900000000000000001', at);
    const b = entry('b', '17900000000000000002', at);
    const shorter = entry('b', '9', at);
    expect(mergeFeeds([a], [b, shorter]).map((post) => post.id)).toEqual(['17900000000000000002', '17900000000000000001', '9']);
    expect(mergeFeeds([shorter, b], [a]).map((post) => post.id)).toEqual(['17900000000000000002', '17900000000000000001', '9']);
  });

  it('keeps a post listed twice once (the same account in two collections): its first occurrence', () => {
    const first = entry('one', '17900000000000001', '2026-03-01T10:00:00Z');
    const again = entry('two', '17900000000000001', '2026-03-01T10:00:00Z');
    const merged = mergeFeeds([first], [again, entry('two', '17900000000000002', '2026-03-02T10:00:00Z')]);
    expect(merged.map((post) => `${post.collection}/${post.id}`)).toEqual(['two/17900000000000002', 'one/17900000000000001']);
  });

  it('takes entry data as well as entries, and nothing at all', () => {
    const data = [entry('a', '1', '2026-01-01T00:00:00Z').data, entry('b', '2', '2026-01-02T00:00:00Z').data];
    expect(mergeFeeds(data).map((post) => post.id)).toEqual(['2', '1']);
    expect(mergeFeeds()).toEqual([]);
    expect(mergeFeeds([], [])).toEqual([]);
  });
});

describe('accountCount', () => {
  it('counts distinct usernames', () => {
    expect(accountCount([entry('a', '1', '2026-01-01T00:00:00Z', 'studio'), entry('a', '2', '2026-01-01T00:00:00Z', 'studio')])).toBe(1);
    expect(accountCount([entry('a', '1', '2026-01-01T00:00:00Z', 'studio'), entry('b', '2', '2026-01-01T00:00:00Z', 'cafe')])).toBe(2);
    expect(accountCount([])).toBe(0);
  });
});
