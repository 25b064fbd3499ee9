import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { writeAtomic } from '../utils/atomic-write.js';
import { type DownloadOptions, downloadToFile, withFreshUrlOnExpiry } from './download.js';
import { fileSize, removeStale } from './files.js';

/** What was written: the size, and a checksum of the first and last 64 KiB (videos are too big to read whole on every build). */
interface VideoSidecar {
  bytes: number;
  sampleCrc32: string;
}

const SAMPLE_BYTES = 64 * 1024;

/**
 * Downloaded MP4s, one per media id, streamed to disk (never held in memory), each with a JSON
 * sidecar of its size and sampled checksum: a cut or damaged MP4 ships just as broken as an image, so
 * a file that does not match is downloaded again. Only used with the loader's `downloadVideos`
 * option; the integration copies the MP4s into the build output.
 */
export class VideoCache {
  readonly dir: string;
  readonly stats = { downloaded: 0, cached: 0 };
  private readonly download: DownloadOptions;
  /** Files written after this (by another process reading a newer feed) are never pruned by this sync. */
  private readonly openedAt = Date.now();

  constructor(dir: string, download: DownloadOptions) {
    this.dir = dir;
    this.download = download;
  }

  /** Path of the local MP4, downloading it when missing; undefined when Instagram gives no video URL. */
  async localize(id: string, url: string | undefined, freshUrl: () => Promise<string | undefined>): Promise<string | undefined> {
    const file = path.join(this.dir, `${id}.mp4`);
    if (await this.isIntact(id, file)) {
      this.stats.cached++;
      return file;
    }
    await mkdir(this.dir, { recursive: true });
    const downloaded = await withFreshUrlOnExpiry(url, freshUrl, (source) => downloadToFile(source, file, this.download), {
      now: this.download.now,
    });
    if (!downloaded) return undefined;
    await writeAtomic(this.sidecarPath(id), JSON.stringify(await describeVideo(file)));
    this.stats.downloaded++;
    return file;
  }

  async prune(keep: ReadonlySet<string>): Promise<void> {
    await removeStale(this.dir, keep, this.openedAt);
  }

  private async isIntact(id: string, file: string): Promise<boolean> {
    const sidecar = await readFile(this.sidecarPath(id), 'utf8')
      .then((text) => JSON.parse(text) as VideoSidecar)
      .catch(() => undefined);
    if (!sidecar || (await fileSize(file)) !== sidecar.bytes) return false;
    return (await describeVideo(file)).sampleCrc32 === sidecar.sampleCrc32;
  }

  private sidecarPath(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }
}

async function describeVideo(file: string): Promise<VideoSidecar> {
  const handle = await open(file);
  try {
    const { size } = await handle.stat();
    let checksum: number | undefined;
    const ranges = size > 2 * SAMPLE_BYTES ? [0, size - SAMPLE_BYTES].map((start) => [start, SAMPLE_BYTES]) : [[0, size]];
    for (const [start = 0, length = 0] of ranges) {
      const chunk = Buffer.alloc(length);
      const { bytesRead } = await handle.read(chunk, 0, length, start);
      checksum = crc32(chunk.subarray(0, bytesRead), checksum);
    }
    return { bytes: size, sampleCrc32: (checksum ?? 0).toString(16).padStart(8, '0') };
  } finally {
    await handle.close();
  }
}
