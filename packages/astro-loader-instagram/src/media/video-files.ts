import { createReadStream } from 'node:fs';
import { cp, readdir, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { PACKAGE_NAME, VIDEO_ROUTE } from '../constants.js';

const VIDEO_PATH = new RegExp(`/${VIDEO_ROUTE}/([\\w-]+)/(\\d+)\\.mp4$`);

/** `<cacheDir>/astro-loader-instagram/<collection>/videos/` for every collection that has videos. */
async function videoFolders(cacheDir: string): Promise<Array<{ collection: string; dir: string }>> {
  const root = path.join(cacheDir, PACKAGE_NAME);
  const collections = await readdir(root).catch(() => [] as string[]);
  const folders = await Promise.all(
    collections.map(async (collection) => {
      const dir = path.join(root, collection, 'videos');
      return (await stat(dir).catch(() => undefined))?.isDirectory() ? { collection, dir } : undefined;
    }),
  );
  return folders.filter((folder) => folder !== undefined);
}

/** Copies downloaded videos into the build output at `/_instagram/videos/<collection>/<id>.mp4`. */
export async function publishVideos(cacheDir: string, outDir: string): Promise<number> {
  let copied = 0;
  for (const { collection, dir } of await videoFolders(cacheDir)) {
    const files = (await readdir(dir)).filter((name) => /^\d+\.mp4$/.test(name));
    for (const name of files) await cp(path.join(dir, name), path.join(outDir, VIDEO_ROUTE, collection, name));
    copied += files.length;
  }
  return copied;
}

/** Dev: serves `<base>/_instagram/videos/<collection>/<id>.mp4` from the cache, with range requests. */
export function serveVideo(cacheDir: string, req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const match = VIDEO_PATH.exec(req.url?.split('?')[0] ?? '');
  if (!match) {
    next();
    return;
  }
  const file = path.join(cacheDir, PACKAGE_NAME, match[1]!, 'videos', `${match[2]}.mp4`);
  stat(file).then(
    ({ size }) => {
      const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
      const start = range?.[1] ? Number(range[1]) : 0;
      const end = range?.[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      res.writeHead(range ? 206 : 200, {
        'content-type': 'video/mp4',
        'accept-ranges': 'bytes',
        'content-length': String(end - start + 1),
        ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
      });
      createReadStream(file, { start, end }).pipe(res);
    },
    () => next(),
  );
}
