/**
 * Helpers for HTTP tests. `testServer` builds the real server in-process with the route plugins a
 * test passes, and closes it when the test ends. `compileForNode` turns a TypeScript entry and the
 * modules it imports into JavaScript that a plain `node` child process can run (Node 20 cannot run
 * TypeScript), for tests that need a real process: signals, exit codes.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import ts from 'typescript';
import { onTestFinished } from 'vitest';
import type { RoutePlugin } from '../../src/http/route-helpers.js';
import type { ServerOptions } from '../../src/http/server.js';
import { buildServer } from '../../src/http/server.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export async function testServer(
  routes: RoutePlugin[],
  options: Partial<ServerOptions> = {},
): Promise<FastifyInstance> {
  const app = await buildServer({ logger: false, ...options, routes });
  onTestFinished(() => app.close());
  return app;
}

/**
 * Transpiles `entry` and every relative module it imports into a fresh folder under
 * `node_modules/.cache` (inside the repo, so the child resolves packages from the repo's
 * node_modules) and returns the path of the compiled entry. The folder is removed when the test ends.
 */
export function compileForNode(entry: string): string {
  const cache = join(REPO_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const outDir = mkdtempSync(join(cache, 'parkbutler-test-'));
  onTestFinished(() => rmSync(outDir, { recursive: true, force: true }));
  writeFileSync(join(outDir, 'package.json'), JSON.stringify({ type: 'module' }));

  const done = new Set<string>();
  const visit = (file: string): void => {
    if (done.has(file)) return;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const out = join(outDir, relative(REPO_ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
    for (const [, specifier] of source.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
      visit(resolve(dirname(file), `${specifier}.ts`));
    }
  };
  const entryFile = resolve(REPO_ROOT, entry);
  visit(entryFile);
  return join(outDir, relative(REPO_ROOT, entryFile)).replace(/\.ts$/, '.js');
}
