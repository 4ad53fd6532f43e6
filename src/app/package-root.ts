/** @module Finds files shipped with the package (scenarios, the built web app) from source and from dist alike. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding parkbutler's package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'scenarios'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the parkbutler package root (package.json beside scenarios/)');
    dir = parent;
  }
  return dir;
}
