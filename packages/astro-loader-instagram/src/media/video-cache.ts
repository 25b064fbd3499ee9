import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type DownloadOptions, downloadToFile, withFreshUrlOnExpiry } from './download.js';
import { isFile, removeStale } from './files.js';

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
    if (await isFile(file)) {
      this.stats.cached++;
      return file;
    }
    await mkdir(this.dir, { recursive: true });
    const downloaded = await withFreshUrlOnExpiry(url, freshUrl, (source) => downloadToFile(source, file, this.download));
    if (!downloaded) return undefined;
    this.stats.downloaded++;
    return file;
  }

  async prune(keep: ReadonlySet<string>): Promise<void> {
    await removeStale(this.dir, keep);
  }
}
