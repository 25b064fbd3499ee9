import sharp, { type Sharp, type SharpOptions } from 'sharp';
import { analysisCopy, type FocalPoint, findFocalPoint } from './focal-point.js';
import { stripJpegMetadata } from './strip-jpeg-metadata.js';

export type LocalImageFormat = 'jpeg' | 'png' | 'webp';

export interface ProcessedImage {
  bytes: Buffer;
  format: LocalImageFormat;
  width: number;
  height: number;
  /** False when the image data was kept as it came (metadata segments may have been cut). */
  reencoded: boolean;
  /** Tiny blurred WebP as a data URI, to paint while the real image loads. */
  placeholder: string;
  /** Dominant colour, `#rrggbb`. */
  color: string;
  /** Where the subject is, in percent of width and height: what a cropped tile centres on. */
  focus: FocalPoint;
}

export interface ProcessOptions {
  /** Longest edge of the stored image, in px. */
  maxSize: number;
  /** Refuse sources above this many pixels (decompression bombs). */
  maxInputPixels: number;
}

/** Formats Astro's image pipeline takes as they are. */
const KEPT_FORMATS = new Set(['jpeg', 'png', 'webp']);
const PLACEHOLDER_SIZE = 16;

/**
 * Normalises a downloaded image for the site: EXIF/XMP/IPTC metadata (GPS, camera serials) never
 * stays; it re-encodes only when the source is too large, needs rotating, is a format Astro can't
 * take, or carries metadata that cannot be cut out losslessly (anything but a plain JPEG).
 * Throws on truncated or undecodable bytes so the caller can download again.
 */
export async function processImage(input: Buffer, options: ProcessOptions): Promise<ProcessedImage> {
  const decodeOptions: SharpOptions = { failOn: 'truncated', limitInputPixels: options.maxInputPixels };
  // Header only: safe without the pixel limit, which we check ourselves for a clearer error.
  const meta = await sharp(input, { limitInputPixels: false }).metadata();
  const { width = 0, height = 0, format = 'unknown' } = meta;
  if (!width || !height) throw new Error('image has no dimensions');
  if (width * height > options.maxInputPixels) {
    throw new PixelLimitError(`${width}x${height} exceeds the ${options.maxInputPixels}-pixel limit`);
  }

  const tooLarge = Math.max(width, height) > options.maxSize;
  const hasPrivateMetadata = Boolean(meta.exif || meta.xmp || meta.iptc || meta.comments?.length);
  const needsRotation = (meta.orientation ?? 1) !== 1;
  // A JPEG whose only problem is metadata loses it by cutting segments, not by re-encoding.
  const stripped = hasPrivateMetadata && format === 'jpeg' && !tooLarge && !needsRotation ? stripJpegMetadata(input) : undefined;
  const mustReencode = tooLarge || needsRotation || !KEPT_FORMATS.has(format) || (hasPrivateMetadata && !stripped);

  if (!mustReencode) {
    // Kept bytes are decoded in full here (failOn: truncated), so this one small decode is also the
    // check that a cut-off download never gets cached.
    const kept = stripped ?? input;
    const small = analysisCopy(sharp(kept, decodeOptions));
    return { bytes: kept, format: format as LocalImageFormat, width, height, reencoded: false, ...(await analyse(small)) };
  }

  // One decode serves both the stored file and the preview: capped, upright sRGB pixels.
  const outFormat: LocalImageFormat = format === 'png' || format === 'webp' ? format : meta.hasAlpha ? 'png' : 'jpeg';
  const { data, info } = await sharp(input, decodeOptions)
    .rotate() // bake EXIF orientation in before the metadata goes
    .resize({ width: options.maxSize, height: options.maxSize, fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      // Prebuilt sharp reads HEIF headers but has no HEVC decoder: downloading again cannot help.
      if (format === 'heif' && meta.compression === 'hevc') throw new UnsupportedImageError(HEVC_UNSUPPORTED);
      throw error;
    });
  const capped = () => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  const [bytes, analysed] = await Promise.all([encode(capped(), outFormat), analyse(analysisCopy(capped()))]);
  return { bytes, format: outFormat, width: info.width, height: info.height, reencoded: true, ...analysed };
}

function encode(pixels: Sharp, format: LocalImageFormat): Promise<Buffer> {
  if (format === 'png') return pixels.png({ compressionLevel: 8 }).toBuffer();
  if (format === 'webp') return pixels.webp({ quality: 90 }).toBuffer();
  // Baseline, standard Huffman tables: half the CPU of progressive + optimised coding for ~3% more
  // bytes. This file is the source Astro resizes from, rarely what a visitor downloads.
  return pixels.jpeg({ quality: 88, progressive: false, optimiseCoding: false }).toBuffer();
}

/** Placeholder, dominant colour and focal point from one small copy of the image (one decode). */
async function analyse(small: Sharp): Promise<{ placeholder: string; color: string; focus: FocalPoint }> {
  const { data, info } = await small.raw().toBuffer({ resolveWithObject: true });
  const pixels = { data, info: { width: info.width, height: info.height, channels: info.channels } };
  const [previewed, focus] = await Promise.all([
    preview(sharp(data, { raw: pixels.info }).resize(PLACEHOLDER_SIZE, PLACEHOLDER_SIZE, { fit: 'inside' })),
    findFocalPoint(pixels),
  ]);
  return { ...previewed, focus };
}

/**
 * Placeholder and dominant colour from the same few hundred pixels. The box blur (`blur()` without a
 * sigma) softens the upscaled placeholder at a tenth of the cost of a Gaussian one.
 */
async function preview(small: Sharp): Promise<{ placeholder: string; color: string }> {
  const { data, info } = await small.blur().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const tiny = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .webp({ quality: 40 })
    .toBuffer();
  return { placeholder: `data:image/webp;base64,${tiny.toString('base64')}`, color: dominantColor(data, info.channels) };
}

/**
 * The most common colour of a few hundred pixels, in 4096 bins (16 levels a channel), averaged within
 * the winning bin: what sharp's stats().dominant computes, without another pass through libvips.
 */
export function dominantColor(pixels: Uint8Array, channels: number): string {
  const bins = new Map<number, { count: number; r: number; g: number; b: number }>();
  let best: { count: number; r: number; g: number; b: number } | undefined;
  for (let i = 0; i + 2 < pixels.length; i += channels) {
    const r = pixels[i]!;
    const g = pixels[i + 1]!;
    const b = pixels[i + 2]!;
    const key = ((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4);
    const bin = bins.get(key) ?? { count: 0, r: 0, g: 0, b: 0 };
    bin.count++;
    bin.r += r;
    bin.g += g;
    bin.b += b;
    bins.set(key, bin);
    if (!best || bin.count > best.count) best = bin;
  }
  if (!best) return '#000000';
  const { count, r, g, b } = best;
  return `#${[r, g, b]
    .map((sum) =>
      Math.round(sum / count)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

const HEVC_UNSUPPORTED =
  'HEIC/HEVC image not supported by this sharp build (its prebuilt libvips has no HEVC decoder); nothing to do unless you install a sharp built with libheif HEVC support';

/** The bytes are whole but this sharp cannot decode them; retrying will not help. */
export class UnsupportedImageError extends Error {
  readonly permanent = true;
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedImageError';
  }
}

/** The source is bigger than we agree to decode; retrying will not help. */
export class PixelLimitError extends Error {
  readonly permanent = true;
  constructor(message: string) {
    super(message);
    this.name = 'PixelLimitError';
  }
}
