import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isFile, removeStale, writeAtomic } from './files.js';
import type { LocalImageFormat, ProcessedImage } from './process-image.js';

/** What we know about a stored image without decoding it again. */
export interface CachedImage {
  /** Absolute path, forward slashes (what Astro's image import resolves). */
  file: string;
  format: LocalImageFormat;
  width: number;
  height: number;
  placeholder: string;
  color: string;
}

interface Sidecar extends Omit<CachedImage, 'file'> {
  /** Bumped when processing changes, so old files are redone. */
  version: number;
  maxSize: number;
}

const SIDECAR_VERSION = 1;
const EXTENSIONS: Record<LocalImageFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp' };

/**
 * Processed images on disk, one file per Instagram media id plus a JSON sidecar with its size,
 * placeholder and colour. Keyed by id, never by the signed CDN URL, whose query changes on every
 * API call. Files are written to a temp name and renamed, so a killed build leaves no half file.
 */
export class ImageCache {
  readonly dir: string;
  readonly maxSize: number;

  constructor(dir: string, maxSize: number) {
    this.dir = dir;
    this.maxSize = maxSize;
  }

  async get(id: string): Promise<CachedImage | undefined> {
    let sidecar: Sidecar;
    try {
      sidecar = JSON.parse(await readFile(this.sidecarPath(id), 'utf8')) as Sidecar;
    } catch {
      return undefined;
    }
    if (sidecar.version !== SIDECAR_VERSION || sidecar.maxSize !== this.maxSize) return undefined;
    const file = this.imagePath(id, sidecar.format);
    if (!(await isFile(file))) return undefined;
    const { version: _v, maxSize: _m, ...image } = sidecar;
    return { file, ...image };
  }

  async put(id: string, image: ProcessedImage): Promise<CachedImage> {
    await mkdir(this.dir, { recursive: true });
    const file = this.imagePath(id, image.format);
    const { format, width, height, placeholder, color } = image;
    const sidecar: Sidecar = { version: SIDECAR_VERSION, maxSize: this.maxSize, format, width, height, placeholder, color };
    await writeAtomic(file, image.bytes);
    await writeAtomic(this.sidecarPath(id), JSON.stringify(sidecar));
    return { file, format, width, height, placeholder, color };
  }

  /** Deletes every stored image whose id is not in `keep`, and stray temp files. Returns the count removed. */
  async prune(keep: ReadonlySet<string>): Promise<number> {
    const removed = await removeStale(this.dir, keep);
    return new Set(removed.filter((name) => name.endsWith('.json')).map((name) => name.split('.')[0])).size;
  }

  private imagePath(id: string, format: LocalImageFormat): string {
    return toPosix(path.join(this.dir, `${id}.${EXTENSIONS[format]}`));
  }

  private sidecarPath(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }
}

/** Astro resolves image imports with forward slashes on every OS. */
export function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}
