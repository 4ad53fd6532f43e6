/** Spawning the CLI as a real process from source, for tests that need one (crashes, signals, exit codes). */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./cli-entry.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // The bare demo (no simulated history) unless a test asks for it: a history takes many seconds.
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', PARKBUTLER_DEMO_HISTORY_DAYS: '0', ...extra };
  // A test process decides its database itself.
  if (!('DATABASE_URL' in extra)) delete env.DATABASE_URL;
  return env;
}

/** Runs `parkbutler ARGS` to completion. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    env: cliEnv(env),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `parkbutler serve` and resolves with its base URL once it is listening. */
export function startServer(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'serve'], {
    cwd: ROOT,
    env: cliEnv({ PORT: '0', ...env }),
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /serving on (http:\/\/localhost:\d+)/.exec(output);
      if (match?.[1] !== undefined) resolve({ child, url: match[1], output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
}
