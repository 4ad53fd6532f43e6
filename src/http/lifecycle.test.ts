import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it, onTestFinished } from 'vitest';
import { compileForNode } from '../../test/support/http.js';

/** A running `test/fixtures/http/slow-server.ts` and what it has printed so far. */
interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  /** Resolves with the first printed line matching `pattern`. */
  waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

function startServer(): ServerProcess {
  const script = compileForNode('test/fixtures/http/slow-server.ts');
  const child = spawn(process.execPath, [script], { stdio: 'pipe' });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const check = (): void => {
    for (const waiter of [...waiters]) {
      const match = stdout.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    check();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    output: () => stdout + stderr,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        check();
        void exited.then(() => reject(new Error(`the server exited before printing ${pattern}:\n${stdout}${stderr}`)));
      }),
    exited,
  };
}

describe('listen and the shutdown on a signal', () => {
  it('finishes the request in flight on SIGTERM, runs onClose, then exits 0', async () => {
    const server = startServer();
    const [, port] = await server.waitFor(/^port (\d+)$/m);
    const reply = fetch(`http://127.0.0.1:${port}/api/slow`);
    await server.waitFor(/^started \/slow$/m);

    server.child.kill('SIGTERM');

    const res = await reply;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/^onClose ran$/m);
  });

  it('exits 1 at once on a second signal, without waiting for the request in flight', async () => {
    const server = startServer();
    const [, port] = await server.waitFor(/^port (\d+)$/m);
    const reply = fetch(`http://127.0.0.1:${port}/api/hang`).catch((error: unknown) => error);
    await server.waitFor(/^started \/hang$/m);

    server.child.kill('SIGTERM');
    server.child.kill('SIGINT');

    expect(await server.exited).toBe(1);
    expect(await reply).toBeInstanceOf(Error);
    expect(server.output()).not.toMatch(/^onClose ran$/m);
  });
});
