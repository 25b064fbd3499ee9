import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { createRng, hashString, type Rng } from './rng.js';

/** Bump when the picture recipe changes, so stale cache files are not reused. */
const RECIPE = 'v1';
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

/** Raw RGB pixels: four-corner gradient, soft blobs, discs, rectangles and grain; palette from the id. */
function drawPixels(rng: Rng, w: number, h: number): Buffer {
  const hue = rng.next() * 360;
  const corners = [0, 1, 2, 3].map((i) => hsl((hue + i * 35 + rng.next() * 30) % 360, 0.35 + rng.next() * 0.4, 0.3 + rng.next() * 0.45));
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
  const shapes = rng.int(5, 8);
  for (let s = 0; s < shapes; s++) {
    const colour = hsl((hue + rng.next() * 200) % 360, 0.3 + rng.next() * 0.5, 0.25 + rng.next() * 0.6);
    const cx = rng.next() * w;
    const cy = rng.next() * h;
    const rad = (0.05 + rng.next() * 0.3) * w;
    const alpha = 0.35 + rng.next() * 0.5;
    const style = rng.pick(['blob', 'blob', 'disc', 'rect'] as const);
    const x0 = Math.max(0, Math.floor(cx - rad));
    const x1 = Math.min(w - 1, Math.ceil(cx + rad));
    const y0 = Math.max(0, Math.floor(cy - rad));
    const y1 = Math.min(h - 1, Math.ceil(cy + rad));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const d2 = ((x - cx) ** 2 + (y - cy) ** 2) / (rad * rad);
        let a: number;
        if (style === 'rect') a = alpha;
        else if (d2 >= 1) continue;
        else if (style === 'blob') a = alpha * (1 - d2) * (1 - d2);
        else a = d2 > 0.94 ? (alpha * (1 - d2)) / 0.06 : alpha;
        const o = (y * w + x) * 3;
        for (let c = 0; c < 3; c++) buf[o + c] = buf[o + c]! + (colour[c]! - buf[o + c]!) * a;
      }
    }
  }
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
