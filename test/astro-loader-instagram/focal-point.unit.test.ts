import { renderJpeg, subjectOf } from 'fake-instagram';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { LOADER_DEFAULTS } from '../../packages/astro-loader-instagram/src/config-defaults.js';
import { processImage } from '../../packages/astro-loader-instagram/src/media/process-image.js';

/**
 * The focal point every processed image gets (sharp's attention strategy), on synthetic pictures
 * whose subject we placed, and on the fake Instagram's pictures, whose subject it tells us.
 */

const options = { maxSize: LOADER_DEFAULTS.maxImageSize, maxInputPixels: 40_000_000 };

/** A JPEG of a calm grey-blue gradient with grain and one saturated warm disc at (x, y) percent. */
async function pictureWithSubject(width: number, height: number, x: number, y: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  const cx = (x / 100) * width;
  const cy = (y / 100) * height;
  const radius = 0.12 * Math.min(width, height);
  let seed = 7;
  const grain = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed % 17) - 8;
  };
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const o = (row * width + col) * 3;
      const inside = (col - cx) ** 2 + (row - cy) ** 2 < radius * radius;
      const shade = 110 + (50 * row) / height + grain();
      pixels[o] = inside ? 225 : shade;
      pixels[o + 1] = inside ? 60 : shade + 8;
      pixels[o + 2] = inside ? 40 : shade + 20;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

describe('focal point', () => {
  it('finds a subject on the right third right of the middle, at its height', async () => {
    const { focus } = await processImage(await pictureWithSubject(1080, 1350, 75, 50), options);
    expect(focus.x).toBeGreaterThan(60);
    expect(Math.abs(focus.y - 50)).toBeLessThan(8);
  });

  it('finds a centred subject at about 50% 50%', async () => {
    const { focus } = await processImage(await pictureWithSubject(1080, 1080, 50, 50), options);
    expect(Math.abs(focus.x - 50)).toBeLessThan(5);
    expect(Math.abs(focus.y - 50)).toBeLessThan(5);
  });

  it('finds a subject on the top third of a landscape and the bottom left of a Reel cover', async () => {
    const landscape = await processImage(await pictureWithSubject(1080, 566, 50, 28), options);
    expect(landscape.focus.y).toBeLessThan(40);
    const cover = await processImage(await pictureWithSubject(1080, 1920, 25, 75), options);
    expect(cover.focus.x).toBeLessThan(40);
    expect(cover.focus.y).toBeGreaterThan(60);
  });

  it('is in percent with one decimal, and the same whether the image is kept or scaled down', async () => {
    const kept = await processImage(await pictureWithSubject(1080, 1350, 70, 35), options);
    const scaled = await processImage(await pictureWithSubject(2160, 2700, 70, 35), options);
    expect(kept.reencoded).toBe(false);
    expect(scaled.reencoded).toBe(true);
    for (const { focus } of [kept, scaled]) {
      expect([Math.round(focus.x * 10) / 10, Math.round(focus.y * 10) / 10]).toEqual([focus.x, focus.y]);
    }
    expect(Math.abs(kept.focus.x - scaled.focus.x)).toBeLessThan(4);
    expect(Math.abs(kept.focus.y - scaled.focus.y)).toBeLessThan(4);
  });

  it('falls back to the centre for an image too small or too plain to say (any format and channel count)', async () => {
    const flat = (channels: 3 | 4) =>
      sharp({ create: { width: 600, height: 400, channels, background: { r: 160, g: 64, b: 32, alpha: 0.5 } } });
    const pictures = {
      line: await flat(3).resize(300, 1, { fit: 'fill' }).png().toBuffer(),
      'flat JPEG': await flat(3).jpeg().toBuffer(),
      'grey JPEG': await flat(3).greyscale().jpeg().toBuffer(),
      'grey PNG with alpha': await flat(4).greyscale().png().toBuffer(),
      'WebP with alpha': await flat(4).webp().toBuffer(),
    };
    for (const [name, bytes] of Object.entries(pictures)) {
      expect((await processImage(bytes, options)).focus, name).toEqual({ x: 50, y: 50 });
    }
  });

  it("lands on the fake Instagram's subject, on its third, for every shape Instagram serves", async () => {
    const shapes = [
      [1080, 1080],
      [1080, 1350],
      [1080, 1440],
      [1080, 566],
      [1080, 1920],
    ] as const;
    const sides = { left: ['x', -1], right: ['x', 1], top: ['y', -1], bottom: ['y', 1] } as const;
    for (let i = 0; i < 15; i++) {
      const id = `179${String(424242 + i * 7919).padStart(14, '0')}`;
      const [width, height] = shapes[i % shapes.length]!;
      const { focus } = await processImage(await renderJpeg(id, width, height), options);
      const subject = subjectOf(id);
      const [axis, sign] = sides[subject.place];
      const where = `${id} ${width}x${height}: subject ${subject.place} at ${subject.x.toFixed(1)}% ${subject.y.toFixed(1)}%, focus ${focus.x}% ${focus.y}%`;
      expect(sign * (focus[axis] - 50), where).toBeGreaterThan(0);
      expect(Math.abs(focus.x - subject.x), where).toBeLessThan(15);
      expect(Math.abs(focus.y - subject.y), where).toBeLessThan(15);
    }
  });
});

describe('default maxImageSize', () => {
  const exifJpeg = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: '#6080a0' } })
      .jpeg({ quality: 85 })
      .withExif({ IFD0: { Make: 'Phone' } })
      .toBuffer();

  it('keeps every size Instagram serves as it came: no resize, no re-encode (only EXIF cut)', async () => {
    for (const [width, height] of [
      [1080, 1080],
      [1080, 1350],
      [1080, 1440],
      [1080, 566],
      [1080, 1920],
    ] as const) {
      const result = await processImage(await exifJpeg(width, height), options);
      expect(result, `${width}x${height}`).toMatchObject({ width, height, reencoded: false });
    }
  });

  it('still caps a truly large source, at 1920 on the longest edge', async () => {
    const result = await processImage(await exifJpeg(3000, 4000), options);
    expect(result).toMatchObject({ width: 1440, height: 1920, reencoded: true });
  });
});
