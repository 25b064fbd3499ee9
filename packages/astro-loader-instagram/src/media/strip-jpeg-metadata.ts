/**
 * Removes private metadata from a JPEG without re-encoding it: EXIF and XMP (APP1), IPTC (APP13),
 * other application segments and comments go; the JFIF header (APP0), the colour profile (APP2),
 * Adobe's colour-transform flag (APP14) and every byte of image data stay exactly as they were.
 * Re-encoding only to drop metadata would cost a full decode and encode per image and some quality.
 * Returns undefined when the bytes are not a JPEG we can walk safely (the caller then re-encodes).
 */
const KEPT_APP_MARKERS = new Set([0xe0, 0xe2, 0xee]);
const START_OF_SCAN = 0xda;
const COMMENT = 0xfe;

export function stripJpegMetadata(bytes: Buffer): Buffer | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  const kept: Buffer[] = [bytes.subarray(0, 2)];
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) return undefined;
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    const length = bytes.readUInt16BE(pos + 2);
    if (length < 2 || pos + 2 + length > bytes.length) return undefined;
    if (marker === START_OF_SCAN) {
      kept.push(bytes.subarray(pos)); // the scan and everything after it, untouched
      return Buffer.concat(kept);
    }
    const isApp = marker >= 0xe0 && marker <= 0xef;
    const drop = (isApp && !KEPT_APP_MARKERS.has(marker)) || marker === COMMENT;
    if (!drop) kept.push(bytes.subarray(pos, pos + 2 + length));
    pos += 2 + length;
  }
  return undefined;
}
