import { createRng, hashString } from './rng.js';

function box(type: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + payload.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, payload]);
}

/**
 * A small MP4-looking blob (ftyp + free + mdat boxes, 40–120 KB, deterministic per id).
 * Sniffs as video/mp4 but is not playable.
 */
export function fakeMp4(id: string): Buffer {
  const rng = createRng(hashString(id));
  const ftyp = box(
    'ftyp',
    Buffer.concat([Buffer.from('isom', 'latin1'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2avc1mp41', 'latin1')]),
  );
  const free = box('free', Buffer.from(`fake-instagram video ${id}`, 'latin1'));
  const data = Buffer.allocUnsafe(rng.int(40_000, 120_000));
  for (let i = 0; i < data.length; i += 4) data.writeUInt32LE(Math.floor(rng.next() * 0x100000000), Math.min(i, data.length - 4));
  return Buffer.concat([ftyp, free, box('mdat', data)]);
}
