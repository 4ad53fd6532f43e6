import { describe, expect, it } from "vitest";
import { loadBrpFixtures } from "../../../test/brp-checker.js";
import { BayState } from "./bay.js";
import { LowerBound } from "./lower-bound.js";

function bounds(
  stacks: number[][],
  maxHeight: number,
): { restricted: number; unrestricted: number; blocking: number } {
  const bay = BayState.fromRanks(
    stacks,
    stacks.map(() => maxHeight),
  );
  const lb = new LowerBound(stacks.length);
  return {
    restricted: lb.restricted(bay),
    unrestricted: lb.unrestricted(bay),
    blocking: bay.blocking,
  };
}

describe("LowerBound", () => {
  it("never exceeds the recorded optima of the committed instances", () => {
    for (const group of loadBrpFixtures()) {
      for (const instance of group.instances) {
        const b = bounds(instance.stacks, group.maxHeight);
        expect(b.restricted).toBeGreaterThanOrEqual(b.blocking);
        expect(b.unrestricted).toBeGreaterThanOrEqual(b.blocking);
        const r = instance.optimal?.restricted;
        const u = instance.optimal?.unrestricted;
        if (typeof r === "number")
          expect(b.restricted, instance.name).toBeLessThanOrEqual(r);
        if (typeof u === "number")
          expect(b.unrestricted, instance.name).toBeLessThanOrEqual(u);
      }
    }
  });

  it("does not count a good placement that spoils two later ones (data5-6-22, optimum 20)", () => {
    // Digging 3 out of lane 1 (13, 29, 25 above it): putting 13 on [30] would leave 29 and 25
    // nowhere good; the optimum puts 13 somewhere bad and both 29 and 25 on [30].
    const stacks = [
      [20, 18, 14, 17, 12],
      [28, 3, 25, 29, 13],
      [11, 9, 23, 27, 8],
      [30, 2, 16, 5, 15],
      [4, 21, 1, 19, 6],
      [7, 26, 10, 22, 24],
    ];
    expect(bounds(stacks, 7).restricted).toBeLessThanOrEqual(20);
  });

  it("adds one for a block that has nowhere good to go", () => {
    // 3 must leave lane 0; the only other lane holds 2, so 3 moves twice.
    expect(bounds([[1, 3], [2]], 3).restricted).toBe(2);
    expect(bounds([[1, 3], [2]], 3).blocking).toBe(1);
  });
});

/** Optimum by breadth-first search over layouts (an independent referee for tiny bays). */
function optimumByBfs(
  stacks: number[][],
  maxHeight: number,
  variant: "restricted" | "unrestricted",
): number {
  const settle = (layout: number[][]): number[][] => {
    let next = Math.min(Infinity, ...layout.flat());
    for (let moved = true; moved;) {
      moved = false;
      for (const stack of layout) {
        if (stack.length > 0 && stack[stack.length - 1] === next) {
          stack.pop();
          next = Math.min(Infinity, ...layout.flat());
          moved = true;
        }
      }
    }
    return layout;
  };
  let frontier = [settle(stacks.map((s) => [...s]))];
  const seen = new Set(frontier.map((l) => JSON.stringify(l)));
  for (let depth = 0; frontier.length > 0; depth++) {
    const following: number[][][] = [];
    for (const layout of frontier) {
      if (layout.every((s) => s.length === 0)) return depth;
      const target = Math.min(...layout.flat());
      for (let from = 0; from < layout.length; from++) {
        if (layout[from]!.length === 0) continue;
        if (variant === "restricted" && !layout[from]!.includes(target))
          continue;
        for (let to = 0; to < layout.length; to++) {
          if (to === from || layout[to]!.length >= maxHeight) continue;
          const child = layout.map((s) => [...s]);
          child[to]!.push(child[from]!.pop()!);
          settle(child);
          const key = JSON.stringify(child);
          if (!seen.has(key)) {
            seen.add(key);
            following.push(child);
          }
        }
      }
    }
    frontier = following;
  }
  return Infinity;
}

describe("LowerBound against breadth-first search", () => {
  it("charges a relocation when no blocking top block can go anywhere good (LB-TS)", () => {
    // 3 and 4 both block and every lane's minimum is below both: one of them moves twice.
    const stacks = [
      [1, 3],
      [2, 4],
    ];
    const bay = BayState.fromRanks(stacks, [3, 3]);
    const lb = new LowerBound(2);
    expect(bay.blocking).toBe(2);
    expect(lb.tanakaUnrestricted(bay)).toBe(3);
    expect(optimumByBfs(stacks, 3, "unrestricted")).toBeGreaterThanOrEqual(3);
  });

  it("never exceeds the optimum of small random bays, in either variant", () => {
    let seed = 12345;
    const random = (k: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % k;
    };
    let stronger = 0;
    for (let trial = 0; trial < 150; trial++) {
      const stackCount = 3 + random(2);
      const maxHeight = 3 + random(2);
      const blocks = stackCount + 2 + random(stackCount);
      const order = Array.from({ length: blocks }, (_, i) => i + 1);
      for (let i = blocks - 1; i > 0; i--) {
        const j = random(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const stacks: number[][] = Array.from({ length: stackCount }, () => []);
      for (const b of order) {
        let s = random(stackCount);
        while (stacks[s]!.length >= maxHeight) s = (s + 1) % stackCount;
        stacks[s]!.push(b);
      }
      const b = bounds(stacks, maxHeight);
      const u = optimumByBfs(stacks, maxHeight, "unrestricted");
      const r = optimumByBfs(stacks, maxHeight, "restricted");
      const label = JSON.stringify(stacks);
      expect(b.unrestricted, label).toBeLessThanOrEqual(u);
      expect(b.restricted, label).toBeLessThanOrEqual(r);
      if (b.unrestricted > b.blocking) stronger++;
    }
    // the bound must do more than the blocking count on some of them, or it tests nothing
    expect(stronger).toBeGreaterThan(10);
  });
});
