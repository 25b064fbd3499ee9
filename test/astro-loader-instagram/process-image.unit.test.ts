import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PixelLimitError, processImage, UnsupportedImageError } from '../../packages/astro-loader-instagram/src/media/process-image.js';

const options = { maxSize: 1080, maxInputPixels: 40_000_000 };

const plainJpeg = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg({ quality: 80 })
    .toBuffer();

describe('processImage', () => {
  it('keeps a clean JPEG byte for byte', async () => {
    const input = await plainJpeg(864, 1080);
    const result = await processImage(input, options);
    expect(result.reencoded).toBe(false);
    expect(result.bytes.equals(input)).toBe(true);
    expect(result).toMatchObject({ width: 864, height: 1080, format: 'jpeg' });
  });

  it('cuts EXIF and GPS out of a JPEG without re-encoding it', async () => {
    const input = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#336699' } })
      .jpeg()
      .withExif({ IFD0: { Make: 'Phone', Model: 'X' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 0/1' } })
      .toBuffer();
    expect((await sharp(input).metadata()).exif).toBeDefined();
    const result = await processImage(input, options);
    expect(result.reencoded).toBe(false);
    expect(result.bytes.length).toBeLessThan(input.length);
    expect(result.bytes.toString('latin1')).not.toContain('Phone');
    const meta = await sharp(result.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    // Same pixels: only metadata segments were cut.
    const [before, after] = await Promise.all([sharp(input).raw().toBuffer(), sharp(result.bytes).raw().toBuffer()]);
    expect(after.equals(before)).toBe(true);
  });

  it('keeps the colour profile when cutting metadata', async () => {
    const input = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#c04020' } })
      .jpeg()
      .withIccProfile('p3')
      .withExif({ IFD0: { Make: 'Phone' } })
      .toBuffer();
    const result = await processImage(input, options);
    const meta = await sharp(result.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeDefined();
  });

  it('scales the longest edge down to maxSize', async () => {
    const result = await processImage(await plainJpeg(1440, 1800), options);
    expect(result).toMatchObject({ width: 864, height: 1080, reencoded: true });
  });

  it('applies EXIF orientation before dropping it', async () => {
    const input = await sharp({ create: { width: 300, height: 100, channels: 3, background: '#000' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const result = await processImage(input, options);
    expect(result).toMatchObject({ width: 100, height: 300 });
  });

  it('turns a format Astro cannot take into JPEG', async () => {
    const tiff = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#0a0' } })
      .tiff()
      .toBuffer();
    const result = await processImage(tiff, options);
    expect(result).toMatchObject({ format: 'jpeg', reencoded: true });
  });

  it('re-encodes from one decode: a capped baseline JPEG whose preview matches it', async () => {
    // A diagonal gradient, so a preview taken from other pixels than the stored ones would show.
    const width = 1440;
    const height = 1800;
    const pixels = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 3;
        pixels[i] = Math.round((255 * x) / width);
        pixels[i + 1] = Math.round((255 * y) / height);
        pixels[i + 2] = 60;
      }
    }
    const input = await sharp(pixels, { raw: { width, height, channels: 3 } })
      .jpeg({ progressive: true })
      .toBuffer();
    const result = await processImage(input, options);
    expect(result).toMatchObject({ reencoded: true, format: 'jpeg', width: 864, height: 1080 });
    const meta = await sharp(result.bytes).metadata();
    expect(meta).toMatchObject({ width: 864, height: 1080, isProgressive: false });
    // The placeholder's top-left and bottom-right corners follow the stored image's.
    const tiny = Buffer.from(result.placeholder.split(',')[1]!, 'base64');
    const [placeholder, stored] = await Promise.all(
      [tiny, result.bytes].map((bytes) => sharp(bytes).resize(2, 2, { fit: 'fill' }).raw().toBuffer()),
    );
    for (const channel of [0, 1]) {
      expect(Math.abs(placeholder![channel]! - stored![channel]!)).toBeLessThan(40);
      expect(Math.abs(placeholder![9 + channel]! - stored![9 + channel]!)).toBeLessThan(40);
    }
    expect(stored![9]!).toBeGreaterThan(stored![0]! + 100);
  });

  it('keeps transparency when a PNG is capped', async () => {
    const input = await sharp({ create: { width: 2000, height: 1000, channels: 4, background: { r: 10, g: 120, b: 200, alpha: 0.4 } } })
      .png()
      .toBuffer();
    const result = await processImage(input, options);
    expect(result).toMatchObject({ reencoded: true, format: 'png', width: 1080, height: 540 });
    const { data, info } = await sharp(result.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    expect(data[3]).toBeGreaterThan(90);
    expect(data[3]).toBeLessThan(115);
  });

  it('computes a small placeholder and the dominant colour', async () => {
    const result = await processImage(await plainJpeg(400, 400), options);
    expect(result.placeholder).toMatch(/^data:image\/webp;base64,/);
    expect(result.placeholder.length).toBeLessThan(1000);
    expect(result.color).toMatch(/^#[0-9a-f]{6}$/);
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(result.color.slice(i, i + 2), 16));
    expect(r).toBeGreaterThan(g!);
    expect(g).toBeGreaterThan(b!);
  });

  it('rejects truncated bytes', async () => {
    const input = await plainJpeg(800, 800);
    await expect(processImage(input.subarray(0, Math.floor(input.length * 0.6)), options)).rejects.toThrow();
  });

  it('refuses images above the pixel limit without decoding them', async () => {
    const big = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#fff' } })
      .greyscale()
      .jpeg({ quality: 1 })
      .toBuffer();
    await expect(processImage(big, options)).rejects.toBeInstanceOf(PixelLimitError);
  });
  it('HEVC HEIC bytes: one permanent "not supported by this sharp build" error, not a truncation to retry', async () => {
    const heic = minimalHeic(640, 480);
    const meta = await sharp(heic).metadata();
    expect(meta).toMatchObject({ format: 'heif', compression: 'hevc', width: 640, height: 480 });
    await expect(sharp(heic).raw().toBuffer()).rejects.toThrow(); // prebuilt sharp: no HEVC decoder
    const failure = processImage(heic, options);
    await expect(failure).rejects.toBeInstanceOf(UnsupportedImageError);
    await expect(failure).rejects.toMatchObject({
      permanent: true,
      message: expect.stringMatching(/^HEIC\/HEVC image not supported by this sharp build .*libheif HEVC support$/),
    });
  });

  it('AVIF-in-HEIF (which sharp decodes) is still re-encoded as usual', async () => {
    const avif = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#208040' } })
      .heif({ compression: 'av1' })
      .toBuffer();
    expect((await sharp(avif).metadata()).format).toBe('heif');
    expect(await processImage(avif, options)).toMatchObject({ format: 'jpeg', width: 64, height: 48, reencoded: true });
  });
});

/** An ISOBMFF box: 4-byte size, 4-char type, payload. */
function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}
const fullBox = (type: string, version: number, ...payload: Buffer[]) => box(type, Buffer.from([version, 0, 0, 0]), ...payload);
const u16 = (n: number) => Buffer.from([n >> 8, n & 255]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/**
 * The smallest HEIF a phone's HEIC looks like to a reader: `ftyp heic`, one `hvc1` item with its
 * HEVC decoder configuration (`hvcC`) and size (`ispe`), and a few bytes standing in for the coded
 * picture. Enough for libheif to read the header and then need an HEVC decoder.
 */
function minimalHeic(width: number, height: number): Buffer {
  const ftyp = box('ftyp', Buffer.from('heic', 'latin1'), u32(0), Buffer.from('mif1heic', 'latin1'));
  // configurationVersion 1, Main profile, level 3.1, 4:2:0 8-bit, 4-byte NAL lengths, no parameter-set arrays.
  const hvcC = box(
    'hvcC',
    Buffer.from([1, 0x01, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 0x5d, 0xf0, 0, 0xfc, 0xfd, 0xf8, 0xf8, 0, 0, 0x0f, 0]),
  );
  const ispe = fullBox('ispe', 0, u32(width), u32(height));
  const ipma = fullBox('ipma', 0, u32(1), u16(1), Buffer.from([2, 0x81, 0x02]));
  const iprp = box('iprp', box('ipco', hvcC, ispe), ipma);
  const hdlr = fullBox('hdlr', 0, u32(0), Buffer.from('pict', 'latin1'), Buffer.alloc(12), Buffer.from([0]));
  const pitm = fullBox('pitm', 0, u16(1));
  const iinf = fullBox('iinf', 0, u16(1), fullBox('infe', 2, u16(1), u16(0), Buffer.from('hvc1', 'latin1'), Buffer.from([0])));
  const coded = Buffer.from([0, 0, 0, 4, 0x26, 0x01, 0xaf, 0x00]); // one tiny IDR NAL unit
  const meta = (dataOffset: number) =>
    fullBox(
      'meta',
      0,
      hdlr,
      pitm,
      fullBox('iloc', 0, Buffer.from([0x44, 0]), u16(1), u16(1), u16(0), u16(1), u32(dataOffset), u32(coded.length)),
      iinf,
      iprp,
    );
  const dataOffset = ftyp.length + meta(0).length + 8;
  return Buffer.concat([ftyp, meta(dataOffset), box('mdat', coded)]);
}
