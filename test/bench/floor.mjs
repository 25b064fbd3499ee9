// The floor for the benchmark: sharp alone, decoding every source JPEG once and encoding the same
// WebP outputs the bench sites ask Astro for (400 px for grid covers, 1080 px for every slide),
// on all cores. Run by test/bench/run.mjs under /usr/bin/time; prints one JSON line.
//
//   node test/bench/floor.mjs <jobs.json> <outDir>
//   jobs.json: [{ "file": "/abs/source.jpg", "widths": [400, 1080] }, ...]
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

const [jobsFile, outDir] = process.argv.slice(2);
if (!jobsFile || !outDir) {
  console.error('usage: node test/bench/floor.mjs <jobs.json> <outDir>');
  process.exit(2);
}

// Same settings as Astro's sharp service: no libvips operation cache, default WebP quality (80).
sharp.cache(false);
const jobs = JSON.parse(await readFile(jobsFile, 'utf8'));
await mkdir(outDir, { recursive: true });

const started = performance.now();
let decoded = 0;
let encoded = 0;
let bytesOut = 0;

async function run({ file, widths }) {
  const input = await readFile(file);
  // One decode to raw pixels (EXIF orientation applied, as Astro's service does)...
  const { data, info } = await sharp(input, { failOn: 'none' }).rotate().raw().toBuffer({ resolveWithObject: true });
  decoded++;
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  // ...then every output from those pixels.
  for (const width of widths) {
    const out = await sharp(data, raw).resize({ width, withoutEnlargement: true }).webp().toBuffer();
    await writeFile(path.join(outDir, `${path.basename(file, '.jpg')}_${width}.webp`), out);
    encoded++;
    bytesOut += out.length;
  }
}

// As many sources in flight as there are cores (libvips threads each operation as well).
const workers = Number(process.env.FLOOR_WORKERS) || Math.max(1, os.availableParallelism());
let next = 0;
await Promise.all(
  Array.from({ length: workers }, async () => {
    while (next < jobs.length) await run(jobs[next++]);
  }),
);

console.log(JSON.stringify({ sources: jobs.length, decoded, encoded, bytesOut, workers, ms: Math.round(performance.now() - started) }));
