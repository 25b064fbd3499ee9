import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from '../utils/atomic-write.js';
import { checksumOf, measureFile, removeStale } from './files.js';
import type { FocalPoint } from './focal-point.js';
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
  /** Absent only in a sidecar written before focal points existed (see `addFocus`). */
  focus?: FocalPoint;
}

interface Sidecar extends Omit<CachedImage, 'file'> {
  /** Bumped when processing changes, so old files are redone. */
  version: number;
  maxSize: number;
  /** Size and CRC-32 of the image file as written: a file that differs is not trusted. */
  bytes: number;
  crc32: string;
}

/**
 * 2: sidecars record the file's size and checksum (files from version 1 are downloaded again once).
 * Still 2 with `focus`: a sidecar without one gets it from its stored file, not a new download.
 */
const SIDECAR_VERSION = 2;
const EXTENSIONS: Record<LocalImageFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp' };

/** Called when a cached file does not match its sidecar (cut, damaged, replaced); it is downloaded again. */
export type OnDamaged = (id: string, reason: string) => void;

/**
 * Processed images on disk, one file per Instagram media id plus a JSON sidecar with its size,
 * placeholder, colour, byte count and checksum. Keyed by id, never by the signed CDN URL, whose query
 * changes on every API call. Files are written to a temp name and renamed, so a killed build leaves
 * no half file; the recorded size and checksum catch what happens to a file afterwards (a disk error,
 * an interrupted CI cache restore), so Astro is never handed a file we did not write whole.
 */
export class ImageCache {
  readonly dir: string;
  readonly maxSize: number;
  private readonly onDamaged: OnDamaged | undefined;
  /** Files written after this (by another process reading a newer feed) are never pruned by this sync. */
  private readonly openedAt = Date.now();

  constructor(dir: string, maxSize: number, onDamaged?: OnDamaged) {
    this.dir = dir;
    this.maxSize = maxSize;
    this.onDamaged = onDamaged;
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
    const found = await measureFile(file); // a missing file is simply a miss
    if (!found) return undefined;
    if (found.bytes !== sidecar.bytes || found.checksum !== sidecar.crc32) {
      const what = found.bytes === sidecar.bytes ? 'its content changed' : `${found.bytes} of ${sidecar.bytes} bytes`;
      this.onDamaged?.(id, `${path.basename(file)}: ${what}`);
      return undefined;
    }
    const { version: _v, maxSize: _m, bytes: _b, crc32: _c, ...image } = sidecar;
    return { file, ...image };
  }

  async put(id: string, image: ProcessedImage): Promise<CachedImage> {
    await mkdir(this.dir, { recursive: true });
    const file = this.imagePath(id, image.format);
    const { format, width, height, placeholder, color, focus } = image;
    const sidecar: Sidecar = {
      version: SIDECAR_VERSION,
      maxSize: this.maxSize,
      format,
      width,
      height,
      placeholder,
      color,
      focus,
      bytes: image.bytes.length,
      crc32: checksumOf(image.bytes),
    };
    await writeAtomic(file, image.bytes);
    await writeAtomic(this.sidecarPath(id), JSON.stringify(sidecar));
    return { file, format, width, height, placeholder, color, focus };
  }

  /**
   * Records the focal point of an image cached before focal points existed, so it is found once from
   * the stored file and never costs a download. The image file is not touched.
   */
  async addFocus(id: string, image: CachedImage, focus: FocalPoint): Promise<CachedImage> {
    const sidecar = JSON.parse(await readFile(this.sidecarPath(id), 'utf8')) as Sidecar;
    await writeAtomic(this.sidecarPath(id), JSON.stringify({ ...sidecar, focus }));
    return { ...image, focus };
  }

  /** Deletes every stored image whose id is not in `keep`, and stray temp files. Returns the count removed. */
  async prune(keep: ReadonlySet<string>): Promise<number> {
    const removed = await removeStale(this.dir, keep, this.openedAt);
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
