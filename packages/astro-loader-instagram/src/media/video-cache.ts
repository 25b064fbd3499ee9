import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { DownloadError, type DownloadOptions, downloadToFile } from './download.js';

/** Where videos are published in the built site, below the site's `base`. */
export const VIDEO_ROUTE = '_instagram/videos';

/**
 * Downloaded MP4s, one per media id, streamed to disk (never held in memory). Only used with the
 * loader's `downloadVideos` option; the integration copies them into the build output.
 */
export class VideoCache {
  readonly dir: string;
  readonly stats = { downloaded: 0, cached: 0 };
  private readonly download: DownloadOptions;

  constructor(dir: string, download: DownloadOptions) {
    this.dir = dir;
    this.download = download;
  }

  /** Path of the local MP4, downloading it when missing; undefined when Instagram gives no video URL. */
  async localize(id: string, url: string | undefined, freshUrl: () => Promise<string | undefined>): Promise<string | undefined> {
    const file = path.join(this.dir, `${id}.mp4`);
    if (await exists(file)) {
      this.stats.cached++;
      return file;
    }
    const source = url ?? (await freshUrl());
    if (!source) return undefined;
    await mkdir(this.dir, { recursive: true });
    try {
      await downloadToFile(source, file, this.download);
    } catch (error) {
      if (!(error instanceof DownloadError && error.failure === 'expired')) throw error;
      const fresh = await freshUrl();
      if (!fresh) throw error;
      await downloadToFile(fresh, file, this.download);
    }
    this.stats.downloaded++;
    return file;
  }

  async prune(keep: ReadonlySet<string>): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((name) => name.includes('.tmp-') || !keep.has(name.split('.')[0] ?? ''))
        .map((name) => rm(path.join(this.dir, name), { force: true })),
    );
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
