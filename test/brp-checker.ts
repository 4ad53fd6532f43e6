/**
 * @module An independent replay of block relocation solutions, written apart from the solver so
 * that tests and the benchmark do not trust the solver's own state code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BrpCheck {
  readonly ok: boolean;
  /** What went wrong, naming the move, when `ok` is false. */
  readonly error?: string;
  readonly relocations: number;
}

/**
 * Replays `moves` on `stacks` (bottom → top, priority 1 leaves first, all distinct): blocks leave
 * as soon as they are on top and due; every move must take a top block to another stack below its
 * limit; in the restricted variant only from the stack holding the next block due. At the end the
 * bay must be empty.
 */
export function checkBrpSolution(
  stacks: readonly (readonly number[])[],
  maxHeight: number | readonly number[],
  variant: 'restricted' | 'unrestricted',
  moves: readonly (readonly number[])[],
): BrpCheck {
  const bay = stacks.map((s) => [...s]);
  const limitOf = (i: number): number => (typeof maxHeight === 'number' ? maxHeight : (maxHeight[i] ?? 0));
  const due = [...stacks.flat()].sort((a, b) => a - b);
  let nextIndex = 0;
  const retrieve = (): void => {
    let progress = true;
    while (progress && nextIndex < due.length) {
      progress = false;
      const want = due[nextIndex];
      for (const stack of bay) {
        if (stack.length > 0 && stack[stack.length - 1] === want) {
          stack.pop();
          nextIndex++;
          progress = true;
          break;
        }
      }
    }
  };
  retrieve();
  for (let k = 0; k < moves.length; k++) {
    const move = moves[k]!;
    const fail = (why: string): BrpCheck => ({
      ok: false,
      error: `move ${k} ${JSON.stringify(move)}: ${why}`,
      relocations: k,
    });
    if (move.length !== 2) return fail('a move is [from, to]');
    const [from, to] = move as [number, number];
    if (!Number.isInteger(from) || !Number.isInteger(to)) return fail('stack indices must be integers');
    if (from < 0 || from >= bay.length || to < 0 || to >= bay.length) return fail('no such stack');
    if (from === to) return fail('from and to are the same stack');
    if (nextIndex >= due.length) return fail('the bay is already empty');
    const source = bay[from]!;
    const dest = bay[to]!;
    if (source.length === 0) return fail('source stack is empty');
    if (dest.length >= limitOf(to)) return fail(`destination stack is full (limit ${limitOf(to)})`);
    if (variant === 'restricted') {
      const want = due[nextIndex];
      if (!source.includes(want!)) return fail(`restricted: block ${String(want)} due next is not in the source stack`);
    }
    dest.push(source.pop()!);
    retrieve();
  }
  if (nextIndex < due.length)
    return {
      ok: false,
      error: `${due.length - nextIndex} blocks never retrieved`,
      relocations: moves.length,
    };
  return { ok: true, relocations: moves.length };
}

/** A committed fixture group (test/fixtures/brp/*.json), read without the solver's parser. */
export interface BrpFixtureGroup {
  readonly group: string;
  readonly maxHeight: number;
  readonly instances: readonly {
    readonly name: string;
    readonly stacks: number[][];
    readonly optimal?: {
      readonly restricted?: number | null;
      readonly unrestricted?: number | null;
    } | null;
  }[];
}

export const BRP_FIXTURE_DIR = join(import.meta.dirname, 'fixtures/brp');

/** Loads every fixture group, sorted by file name. */
export function loadBrpFixtures(): BrpFixtureGroup[] {
  return readdirSync(BRP_FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      ...(JSON.parse(readFileSync(join(BRP_FIXTURE_DIR, f), 'utf8')) as BrpFixtureGroup),
      group: f.replace(/\.json$/, ''),
    }));
}
