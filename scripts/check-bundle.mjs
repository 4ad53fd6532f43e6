#!/usr/bin/env node
// The guard's first screen must load in under 250 KB of gzipped JavaScript and CSS (issue 5; lowered from 300
// when issue 16 part 7 brought it to 215 KB). From Vite's manifest: the entry and its static imports,
// the shell it always loads (src/start.tsx: React, antd's core, the frame), plus the guard screen's
// lazy chunk and its static imports, which the entry starts loading at once for a phone whose last
// user was a guard. Fails past the budget.
import { readFileSync, existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET = 250 * 1024;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(root, 'web/dist');
const manifestPath = resolve(dist, '.vite/manifest.json');
if (!existsSync(manifestPath)) {
  console.error(`check:bundle: ${manifestPath} is missing; run npm run build:web first`);
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

/** The chunk and every chunk it imports statically, transitively. */
function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) closure(dep, seen);
  return seen;
}

const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
const shell = Object.keys(manifest).find((k) => k.endsWith('src/start.tsx'));
const guard = Object.keys(manifest).find((k) => k.endsWith('screens/GuardScreen.tsx'));
if (entry === undefined || shell === undefined || guard === undefined) {
  console.error('check:bundle: no entry, no shell (start.tsx) or no GuardScreen chunk in the manifest');
  process.exit(1);
}
const chunks = new Set([...closure(entry), ...closure(shell), ...closure(guard)]);
// Their CSS counts too: it carries the first screen's antd styles, rendered at build time instead of
// by antd's JavaScript in the browser (web/first-screen-styles.ts).
const files = new Set([...chunks].flatMap((key) => [manifest[key].file, ...(manifest[key].css ?? [])]));
let total = 0;
const rows = [];
for (const file of files) {
  const size = gzipSync(readFileSync(resolve(dist, file)), { level: 9 }).length;
  total += size;
  rows.push([file, size]);
}
rows.sort((a, b) => b[1] - a[1]);
for (const [file, size] of rows) console.log(`${(size / 1024).toFixed(1).padStart(8)} KB  ${file}`);
const kb = (total / 1024).toFixed(1);
if (total > BUDGET) {
  console.error(
    `check:bundle: the guard's first screen loads ${kb} KB of gzipped JS and CSS, past the budget of ${BUDGET / 1024} KB`,
  );
  process.exit(1);
}
console.log(`check:bundle: the guard's first screen loads ${kb} KB of gzipped JS and CSS (budget ${BUDGET / 1024} KB)`);
