import { type DownloadOptions, downloadAndDecode, withFreshUrlOnExpiry } from './download.js';
import { findFocalPointOfFile } from './focal-point.js';
import type { CachedImage, ImageCache } from './image-cache.js';
import { type ProcessOptions, processImage } from './process-image.js';

export interface LocalizeStats {
  /** Images fetched from the CDN and written this run. */
  downloaded: number;
  /** Images served from the local cache. */
  cached: number;
  /** Downloaded images that had to be re-encoded (too big, metadata, format). */
  reencoded: number;
  /** CDN URLs that had expired and were signed again through the API. */
  resigned: number;
  /** Cached images whose focal point was found this run (cached before focal points existed). */
  focused: number;
}

/**
 * Turns a media id plus its (signed, expiring) CDN URL into a processed image file on disk.
 * The cache is looked up by id first, so a known image costs no request at all.
 */
export class MediaLocalizer {
  readonly stats: LocalizeStats = { downloaded: 0, cached: 0, reencoded: 0, resigned: 0, focused: 0 };
  private readonly cache: ImageCache;
  private readonly download: DownloadOptions;
  private readonly process: ProcessOptions;

  /** Where the images are written (named when the disk refuses them). */
  get cacheDir(): string {
    return this.cache.dir;
  }

  constructor(cache: ImageCache, download: DownloadOptions, process: ProcessOptions) {
    this.cache = cache;
    this.download = download;
    this.process = process;
  }

  /**
   * @param freshUrl asks the API for a newly signed URL, used once when the URL has expired (its `oe`, or a 403).
   */
  async localize(id: string, url: string | undefined, freshUrl: () => Promise<string | undefined>): Promise<CachedImage | undefined> {
    const cached = await this.cache.get(id);
    if (cached) {
      this.stats.cached++;
      return cached.focus ? cached : this.addFocus(id, cached);
    }
    const downloaded = await withFreshUrlOnExpiry(url, freshUrl, (source) => this.fetch(source), {
      onResigned: () => this.stats.resigned++,
      now: this.download.now,
    });
    if (!downloaded) return undefined;
    const processed = downloaded.result;
    this.stats.downloaded++;
    if (processed.reencoded) this.stats.reencoded++;
    return this.cache.put(id, processed);
  }

  /**
   * A file cached before focal points existed: found once from the file on disk, then kept in its
   * sidecar. A file that will not decode keeps serving without one (tiles centre it) rather than
   * losing the post; a sidecar that cannot be written fails like any cache write.
   */
  private async addFocus(id: string, cached: CachedImage): Promise<CachedImage> {
    const focus = await findFocalPointOfFile(cached.file).catch(() => undefined);
    if (!focus) return cached;
    this.stats.focused++;
    return this.cache.addFocus(id, cached, focus);
  }

  private fetch(url: string) {
    return downloadAndDecode(url, this.download, (bytes) => processImage(bytes, this.process));
  }
}
