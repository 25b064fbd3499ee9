// Benchmark of `check` (issue 14): API requests and time to decide, for 200 and 1,000 posts.
//
//   node test/bench/check.mjs                 200 and 1,000 posts
//   node test/bench/check.mjs --posts 50      one size ("200,1000" for several)
//   node test/bench/check.mjs --runs 9        checks timed per case (median reported; default 5)
//
// The state file is made by the loader's own code (fetchFeed, publishSiteState, writeSiteState) from
// the fake's feed, as a build makes it, without running astro: what is measured is the check alone,
// against the fake Graph API on loopback (no network latency: add Instagram's round trip, ~0.2-0.5 s
// per request, for the real figure). Needs `npm run build` first.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakeInstagram } from 'fake-instagram';
import { createInstagramClient } from 'instagram-graph';
import { checkForChanges } from '../../packages/astro-loader-instagram/dist/check/index.js';
import { fetchFeed } from '../../packages/astro-loader-instagram/dist/feed.js';
import { publishSiteState } from '../../packages/astro-loader-instagram/dist/site-state/collection-state.js';
import { takeSiteStates } from '../../packages/astro-loader-instagram/dist/site-state/registry.js';
import { writeSiteState } from '../../packages/astro-loader-instagram/dist/site-state/write.js';

function parseArgs(argv) {
  const opts = { posts: [200, 1000], runs: 5 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--posts') opts.posts = argv[++i].split(',').map(Number);
    else if (argv[i] === '--runs') opts.runs = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return opts;
}

/** The state file a build of `fake`'s feed publishes, written into `dir` the way the integration does. */
async function buildState(fake, dir) {
  const client = createInstagramClient({ token: fake.token, apiUrl: fake.url });
  const feed = await fetchFeed(client, {});
  const meta = new Map();
  const context = { collection: 'instagram', meta, store: { keys: () => feed.posts.map((post) => post.id) } };
  publishSiteState(context, feed, { host: 'instagram' });
  await writeSiteState(dir, '/_instagram/state.json', takeSiteStates());
  return client.requestCount;
}

async function timeCheck(fake, dir, runs) {
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    fake.resetStats();
    const started = performance.now();
    result = await checkForChanges({ site: dir, token: fake.token, apiUrl: fake.url });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { line: result.line, requests: fake.stats.api, ms: times[Math.floor(times.length / 2)] };
}

const opts = parseArgs(process.argv.slice(2));
const rows = [];
for (const posts of opts.posts) {
  const fake = await startFakeInstagram({ posts, seed: 14, imageCacheDir: path.join(os.tmpdir(), 'fake-instagram-images') });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-check-'));
  try {
    const buildRequests = await buildState(fake, dir);
    const unchanged = await timeCheck(fake, dir, opts.runs);
    fake.publish();
    const changed = await timeCheck(fake, dir, opts.runs);
    rows.push({ posts, buildRequests, unchanged, changed });
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}

console.log(`check against the fake Graph API on loopback (median of ${opts.runs} runs)\n`);
console.log(
  '| posts | build: API requests | check: API requests | check: time (unchanged) | check: time (1 new post) | line after 1 new post |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | --- |');
for (const row of rows) {
  console.log(
    `| ${row.posts} | ${row.buildRequests} | ${row.unchanged.requests} | ${row.unchanged.ms.toFixed(0)} ms | ${row.changed.ms.toFixed(0)} ms | \`${row.changed.line}\` |`,
  );
}
