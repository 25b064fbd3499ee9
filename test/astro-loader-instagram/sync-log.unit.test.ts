import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoaderContext } from 'astro/loaders';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveSyncLogAfterLoad } from '../../packages/astro-loader-instagram/src/health/sync-log.js';

describe('saveSyncLogAfterLoad: a failed write of the sync log', () => {
  let dir: string;
  let warnings: string[];
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ig-sync-log-'));
    warnings = [];
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** A cacheDir that is a file: every write under it fails with ENOTDIR. */
  async function unwritableContext() {
    const file = path.join(dir, 'not-a-folder');
    await writeFile(file, '');
    return {
      meta: new Map<string, string>(),
      collection: 'instagram',
      config: { cacheDir: pathToFileURL(`${file}/`) },
      logger: { warn: (line: string) => warnings.push(line) },
    } as unknown as Pick<LoaderContext, 'meta' | 'collection' | 'config' | 'logger'>;
  }

  it('is one warning line that says the collection is fine', async () => {
    await saveSyncLogAfterLoad(await unwritableContext());
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Could not record this sync for .*\(ENOTDIR\); the collection is fine\./);
  });

  it('is not warned again when the sync already stopped on the same machine error (a full disk is named once)', async () => {
    await saveSyncLogAfterLoad(await unwritableContext(), 'ENOTDIR');
    expect(warnings).toEqual([]);
  });

  it('is still warned when the sync stopped on another error', async () => {
    await saveSyncLogAfterLoad(await unwritableContext(), 'ENOSPC');
    expect(warnings).toHaveLength(1);
  });
});
