#!/usr/bin/env node
// Fails when the relative imports of packages/*/src (type-only ones included) form a cycle:
// a cycle means two files that cannot be read, moved or tested apart.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../packages/', import.meta.url));
const IMPORT = /(?:^|[\n;])\s*(?:import|export)\b[^;'"]*?(?:from\s*)?['"](\.{1,2}\/[^'"]+)['"]/g;

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

const files = readdirSync(root).flatMap((pkg) => {
  try {
    return sources(path.join(root, pkg, 'src'));
  } catch {
    return [];
  }
});
const known = new Set(files);
const graph = new Map(
  files.map((file) => {
    const targets = [...readFileSync(file, 'utf8').matchAll(IMPORT)]
      .map((match) => path.resolve(path.dirname(file), match[1].replace(/\.js$/, '.ts')))
      .filter((target) => known.has(target));
    return [file, targets];
  }),
);

// Depth-first search; a grey node met again closes a cycle.
const state = new Map();
const cycles = [];
function visit(file, trail) {
  state.set(file, 'grey');
  for (const next of graph.get(file)) {
    if (state.get(next) === 'grey') cycles.push([...trail.slice(trail.indexOf(next)), next]);
    else if (!state.has(next)) visit(next, [...trail, next]);
  }
  state.set(file, 'black');
}
for (const file of files) if (!state.has(file)) visit(file, [file]);

if (cycles.length) {
  const show = (file) => path.relative(root, file);
  for (const cycle of cycles) console.error(`Import cycle: ${cycle.map(show).join(' -> ')}`);
  console.error('Move the shared piece (often a type) into a module both can import, so imports only go one way.');
  process.exit(1);
}
console.log(`No import cycles in ${files.length} files under packages/*/src.`);
