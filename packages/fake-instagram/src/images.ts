import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { createRng, hashString, type Rng } from './rng.js';

/** Bump when the picture recipe changes, so stale cache files are not reused. */
const RECIPE = 'v2'; // v2: one saturated subject on a third, over a calmer background
/** Pictures are drawn at 1/SCALE size in JS, then upscaled by libvips (cheap, photo-like grain). */
const SCALE = 2;

let noiseTable: Int8Array | undefined;

/** Shared gaussian-ish noise table (deterministic). */
function noise(): Int8Array {
  if (noiseTable) return noiseTable;
  const rng = createRng(0x5eed);
  noiseTable = new Int8Array(1 << 16);
  for (let i = 0; i < noiseTable.length; i++) noiseTable[i] = Math.round((rng.next() + rng.next() + rng.next() - 1.5) * 16);
  return noiseTable;
}

type Rgb = [number, number, number];

function hsl(h: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => {
    const k = (n + h / 30) % 12;
    return (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))) * 255;
  };
  return [f(0), f(8), f(4)];
}

/** Where a picture's subject sits: one of the four thirds, never the centre. */
export type SubjectPlace = 'left' | 'right' | 'top' | 'bottom';

/** A picture's subject: its third, and its centre and radius in percent of the picture's width. */
export interface Subject {
  place: SubjectPlace;
  /** Centre, in percent of width and height. */
  x: number;
  y: number;
  /** Radius, in percent of the shorter side. */
  radius: number;
}

/** The seeded draws every picture starts with: what `subjectOf` replays without drawing. */
function plan(rng: Rng) {
  // Warm subjects (reds, corals, oranges, ambers: faces, food, flowers, products) on a cool background.
  const subjectHue = (340 + rng.next() * 65) % 360;
  const hue = (subjectHue + 150 + rng.next() * 60) % 360;
  const place = rng.pick(['left', 'right', 'top', 'bottom'] as const);
  // On its third's line (1/3 or 2/3 across), a little off it along both axes.
  const along = 0.4 + rng.next() * 0.2;
  const across = (place === 'left' || place === 'top' ? 1 / 3 : 2 / 3) + (rng.next() - 0.5) * 0.08;
  const horizontal = place === 'left' || place === 'right';
  const subject: Subject = {
    place,
    x: 100 * (horizontal ? across : along),
    y: 100 * (horizontal ? along : across),
    radius: 100 * (0.13 + rng.next() * 0.07),
  };
  return { hue, subjectHue, subject };
}

/** The subject drawn into the picture of `id` (tests compare it with a computed focal point). */
export function subjectOf(id: string): Subject {
  return plan(createRng(hashString(id))).subject;
}

/**
 * Raw RGB pixels of a photo-like picture: a calm, low-saturation background (four-corner gradient,
 * a few faint soft blobs), one saturated, lit disc with a soft shadow as the subject on a third,
 * and grain. The subject's hue is opposite the background's, so it is what the eye (and sharp's
 * attention strategy) finds first.
 */
function drawPixels(rng: Rng, w: number, h: number): Buffer {
  const { hue, subjectHue, subject } = plan(rng);
  const corners = [0, 1, 2, 3].map((i) => hsl((hue + i * 20 + rng.next() * 20) % 360, 0.12 + rng.next() * 0.15, 0.45 + rng.next() * 0.3));
  const [c0, c1, c2, c3] = corners as [Rgb, Rgb, Rgb, Rgb];
  const buf = Buffer.allocUnsafe(w * h * 3);
  for (let y = 0; y < h; y++) {
    const v = y / Math.max(1, h - 1);
    const left = [0, 1, 2].map((c) => c0[c]! * (1 - v) + c2[c]! * v);
    const right = [0, 1, 2].map((c) => c1[c]! * (1 - v) + c3[c]! * v);
    let o = y * w * 3;
    for (let x = 0; x < w; x++) {
      const u = x / Math.max(1, w - 1);
      for (let c = 0; c < 3; c++) buf[o++] = left[c]! + (right[c]! - left[c]!) * u;
    }
  }
  const blobs = rng.int(2, 4);
  for (let s = 0; s < blobs; s++) {
    const colour = hsl((hue + rng.next() * 40) % 360, 0.15 + rng.next() * 0.15, 0.35 + rng.next() * 0.4);
    blend(buf, w, h, rng.next() * w, rng.next() * h, (0.1 + rng.next() * 0.2) * Math.max(w, h), (d2) => 0.3 * (1 - d2) * (1 - d2), colour);
  }
  // The subject: a soft shadow below it, then a disc lit from the top left, with a bright rim.
  const cx = (subject.x / 100) * w;
  const cy = (subject.y / 100) * h;
  const r = (subject.radius / 100) * Math.min(w, h);
  blend(buf, w, h, cx + r * 0.12, cy + r * 0.18, r * 1.25, (d2) => 0.55 * (1 - d2), [20, 18, 24]);
  const lit = hsl(subjectHue, 0.95, 0.62);
  const dark = hsl(subjectHue, 0.9, 0.3);
  const lx = cx - r * 0.35;
  const ly = cy - r * 0.35;
  const paint: Rgb = [0, 0, 0];
  blend(
    buf,
    w,
    h,
    cx,
    cy,
    r,
    (d2) => (d2 > 0.92 ? (1 - d2) / 0.08 : 1),
    paint,
    (x, y) => {
      const t = Math.min(1, Math.sqrt((x - lx) ** 2 + (y - ly) ** 2) / (1.5 * r));
      for (let c = 0; c < 3; c++) paint[c] = lit[c]! * (1 - t) + dark[c]! * t;
    },
  );
  const table = noise();
  let k = rng.int(0, 65535);
  for (let i = 0; i < buf.length; i += 3) {
    const grain = table[k++ & 65535]!;
    const r = buf[i]! + grain + (table[(k * 31) & 65535]! >> 2);
    const g = buf[i + 1]! + grain;
    const b = buf[i + 2]! + grain - (table[(k * 17) & 65535]! >> 2);
    buf[i] = r < 0 ? 0 : Math.min(r, 255);
    buf[i + 1] = g < 0 ? 0 : Math.min(g, 255);
    buf[i + 2] = b < 0 ? 0 : Math.min(b, 255);
  }
  return buf;
}

/**
 * Paints a round shape of radius `rad` at (cx, cy) over `buf`: `alpha(d2)` gives its opacity at the
 * squared distance d2 (0 at the centre, 1 at the edge). `shade(x, y)`, when given, first sets
 * `colour` to the colour there (one array for every pixel: no allocation in the loop).
 */
function blend(
  buf: Buffer,
  w: number,
  h: number,
  cx: number,
  cy: number,
  rad: number,
  alpha: (d2: number) => number,
  colour: Rgb,
  shade?: (x: number, y: number) => void,
): void {
  const x0 = Math.max(0, Math.floor(cx - rad));
  const x1 = Math.min(w - 1, Math.ceil(cx + rad));
  const y0 = Math.max(0, Math.floor(cy - rad));
  const y1 = Math.min(h - 1, Math.ceil(cy + rad));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d2 = ((x - cx) ** 2 + (y - cy) ** 2) / (rad * rad);
      if (d2 >= 1) continue;
      const a = alpha(d2);
      shade?.(x, y);
      const o = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) buf[o + c] = buf[o + c]! + (colour[c]! - buf[o + c]!) * a;
    }
  }
}

/** A photo-like JPEG (quality 85) for `id`, with EXIF (camera make/model, date, GPS) for strip checks. */
export async function renderJpeg(id: string, width: number, height: number): Promise<Buffer> {
  const rng = createRng(hashString(id));
  const w = Math.max(2, Math.round(width / SCALE));
  const h = Math.max(2, Math.round(height / SCALE));
  const pixels = drawPixels(rng, w, h);
  return sharp(pixels, { raw: { width: w, height: h, channels: 3 } })
    .resize(width, height, { kernel: 'linear', fit: 'fill' })
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: {
        Make: 'FakeCam',
        Model: 'FC-1080 Studio',
        Software: 'fake-instagram',
        Artist: 'demo.studio',
        Copyright: 'fake-instagram test image',
        DateTime: '2026:11:20 09:12:00',
      },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '52/1 31/1 12/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '13/1 24/1 36/1',
      },
    })
    .toBuffer();
}

/** Lazily generated JPEGs, cached on disk by id + size, written atomically (temp file + rename). */
export class ImageCache {
  private readonly pending = new Map<string, Promise<Buffer>>();
  private dirReady: Promise<unknown> | undefined;

  constructor(readonly dir: string) {}

  get(id: string, width: number, height: number): Promise<Buffer> {
    const key = `${id}_${width}x${height}_${RECIPE}.jpg`;
    let job = this.pending.get(key);
    if (!job) {
      job = this.load(key, id, width, height).finally(() => this.pending.delete(key));
      this.pending.set(key, job);
    }
    return job;
  }

  private async load(key: string, id: string, width: number, height: number): Promise<Buffer> {
    const file = path.join(this.dir, key);
    try {
      return await readFile(file);
    } catch {
      // not cached yet
    }
    const jpeg = await renderJpeg(id, width, height);
    this.dirReady ??= mkdir(this.dir, { recursive: true });
    await this.dirReady;
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, jpeg);
      await rename(tmp, file);
    } catch {
      await unlink(tmp).catch(() => undefined); // caching is best effort
    }
    return jpeg;
  }
}
