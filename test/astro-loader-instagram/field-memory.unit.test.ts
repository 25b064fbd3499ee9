import { describe, expect, it } from 'vitest';
import {
  droppedFieldsLine,
  RECHECK_AFTER_MS,
  rememberedWithout,
  rememberFields,
} from '../../packages/astro-loader-instagram/src/field-memory.js';

/** Astro's MetaStore: a string map. */
function meta() {
  const map = new Map<string, string>();
  return {
    get: (key: string) => map.get(key),
    set: (key: string, value: string) => void map.set(key, value),
    has: (key: string) => map.has(key),
    delete: (key: string) => void map.delete(key),
    map,
  };
}

const day = 24 * 3600 * 1000;
const t0 = Date.parse('2026-11-01T00:00:00Z');

describe('remembered field list', () => {
  it('is used by the next builds, then tried in full again after 7 days (counted from the discovery)', () => {
    const store = meta();
    rememberFields(store, { host: 'instagram', dataVersion: 1, used: [], dropped: ['alt_text'] }, t0);
    expect(rememberedWithout(store, 'instagram', 1, t0 + day)).toEqual(['alt_text']);
    // A build that used the remembered list does not extend it.
    rememberFields(store, { host: 'instagram', dataVersion: 1, used: ['alt_text'], dropped: ['alt_text'] }, t0 + 6 * day);
    expect(rememberedWithout(store, 'instagram', 1, t0 + RECHECK_AFTER_MS - 1)).toEqual(['alt_text']);
    expect(rememberedWithout(store, 'instagram', 1, t0 + RECHECK_AFTER_MS)).toEqual([]);
  });

  it('is not used for another host or data version, and is cleared when nothing is refused any more', () => {
    const store = meta();
    rememberFields(store, { host: 'instagram', dataVersion: 1, used: [], dropped: ['alt_text'] }, t0);
    expect(rememberedWithout(store, 'facebook', 1, t0)).toEqual([]);
    expect(rememberedWithout(store, 'instagram', 2, t0)).toEqual([]);
    rememberFields(store, { host: 'instagram', dataVersion: 1, used: [], dropped: [] }, t0);
    expect(store.map.size).toBe(0);
  });

  it("is tried in full again when the site's fields option changes", () => {
    const store = meta();
    rememberFields(
      store,
      { host: 'instagram', dataVersion: 1, used: [], dropped: ['media_product_typ'], fields: ['media_product_typ'] },
      t0,
    );
    expect(rememberedWithout(store, 'instagram', 1, t0, ['media_product_typ'])).toEqual(['media_product_typ']);
    expect(rememberedWithout(store, 'instagram', 1, t0, ['media_product_type'])).toEqual([]);
    expect(rememberedWithout(store, 'instagram', 1, t0)).toEqual([]);
  });

  it('ignores a value it cannot read', () => {
    const store = meta();
    store.set('fields', '{not json');
    expect(rememberedWithout(store, 'instagram', 1)).toEqual([]);
  });

  it('says in one line what is left out', () => {
    expect(droppedFieldsLine(['is_shared_to_feed', 'alt_text'])).toBe(
      'Instagram does not serve alt_text, is_shared_to_feed for this account; reading without them.',
    );
  });
});
