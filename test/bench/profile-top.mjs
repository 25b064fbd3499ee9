// Summarises a V8 .cpuprofile (from `npm run bench -- --cpu-prof --keep`): self time by package and by
// function, main thread only (sharp/libvips work runs on libuv threads and shows up as idle/program here).
//
//   node test/bench/profile-top.mjs <file.cpuprofile> [top=25]
import { readFile } from 'node:fs/promises';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node test/bench/profile-top.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg) || 25;
const profile = JSON.parse(await readFile(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);

function packageOf(url) {
  if (!url) return '(native/vm)';
  const match = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (match) return match[1];
  if (url.includes('/packages/')) return url.match(/\/packages\/([^/]+)/)[1];
  if (url.startsWith('node:')) return 'node:internal';
  if (url.includes('.astro/') || url.includes('.prerender')) return '(site bundle)';
  return url.replace(/^file:\/\//, '');
}

const byPackage = new Map();
const byFunction = new Map();
for (const [id, time] of self) {
  const { callFrame } = byId.get(id);
  const pkg = packageOf(callFrame.url);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + time);
  const name = `${callFrame.functionName || '(anonymous)'}  ${pkg}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ''}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + time);
}
const show = (title, map) => {
  console.log(`\n${title}`);
  for (const [name, time] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(time / 1e6).toFixed(2).padStart(8)} s ${((100 * time) / total).toFixed(1).padStart(5)}%  ${name}`);
  }
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled on the main thread`);
show('self time by package', byPackage);
show('self time by function', byFunction);
