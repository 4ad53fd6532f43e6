/**
 * @module Feasibility of a night's charging as a max-flow (Dinic) over deadline intervals: every car
 * plugged from slot 0, car j needs `need[j]` slots before slot `deadline[j]`, and `chargers` cars
 * charge at a time (fewer while `busyUntil` holds some of them from slot 0). Time is cut at the deadlines; car j → interval k (capacity: the interval's
 * length, a car charges on one charger at a time), interval k → sink (chargers × length).
 * Horn (1974), "Some simple scheduling algorithms", Naval Research Logistics Quarterly 21.
 */

interface Edge {
  to: number;
  cap: number;
  rev: number;
}

/** A flow network solved by Dinic's algorithm: nodes are 0..n−1, capacities any non-negative numbers. */
export class Dinic {
  readonly graph: Edge[][];
  private level: number[] = [];
  private iter: number[] = [];

  constructor(nodes: number) {
    this.graph = Array.from({ length: nodes }, () => []);
  }

  addEdge(from: number, to: number, cap: number): Edge {
    const a: Edge = { to, cap, rev: this.graph[to]!.length };
    const b: Edge = { to: from, cap: 0, rev: this.graph[from]!.length };
    this.graph[from]!.push(a);
    this.graph[to]!.push(b);
    return a;
  }

  private bfs(s: number): void {
    this.level = this.graph.map(() => -1);
    this.level[s] = 0;
    const queue = [s];
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head]!;
      for (const e of this.graph[v]!) {
        if (e.cap > 0 && this.level[e.to]! < 0) {
          this.level[e.to] = this.level[v]! + 1;
          queue.push(e.to);
        }
      }
    }
  }

  private dfs(v: number, t: number, f: number): number {
    if (v === t) return f;
    const edges = this.graph[v]!;
    for (; this.iter[v]! < edges.length; this.iter[v]!++) {
      const e = edges[this.iter[v]!]!;
      if (e.cap > 0 && this.level[v]! < this.level[e.to]!) {
        const d = this.dfs(e.to, t, Math.min(f, e.cap));
        if (d > 0) {
          e.cap -= d;
          this.graph[e.to]![e.rev]!.cap += d;
          return d;
        }
      }
    }
    return 0;
  }

  maxFlow(s: number, t: number): number {
    let flow = 0;
    for (;;) {
      this.bfs(s);
      if (this.level[t]! < 0) return flow;
      this.iter = this.graph.map(() => 0);
      for (let f = this.dfs(s, t, Infinity); f > 0; f = this.dfs(s, t, Infinity)) flow += f;
    }
  }
}

export interface IntervalFlow {
  /** True when every need can be met. */
  feasible: boolean;
  /** Interval boundaries: interval k is [cuts[k], cuts[k+1]). */
  cuts: number[];
  /** amounts[j][k]: slots car j charges in interval k, in one feasible schedule (max flow). */
  amounts: number[][];
  /** Total slots the flow delivers. */
  delivered: number;
}

/** The max flow of needs into deadline intervals; `feasible` when it saturates every need. */
export function intervalFlow(
  need: readonly number[],
  deadline: readonly number[],
  chargers: number,
  busyUntil: readonly number[] = [],
): IntervalFlow {
  const cuts = [
    ...new Set([
      0,
      ...deadline.filter((d) => d > 0),
      ...busyUntil.filter((d) => d > 0 && d < Math.max(0, ...deadline)),
    ]),
  ].sort((a, b) => a - b);
  /** Chargers free in interval k: those not held until after its start. */
  const free = (k: number) => chargers - busyUntil.filter((b) => b > cuts[k]!).length;
  const intervals = cuts.length - 1;
  const n = need.length;
  const source = n + intervals;
  const sink = source + 1;
  const net = new Dinic(sink + 1);
  const jobEdges: (Edge | null)[][] = [];
  for (let j = 0; j < n; j++) {
    net.addEdge(source, j, need[j]!);
    const row: (Edge | null)[] = [];
    for (let k = 0; k < intervals; k++) {
      const len = cuts[k + 1]! - cuts[k]!;
      row.push(cuts[k + 1]! <= deadline[j]! ? net.addEdge(j, n + k, len) : null);
    }
    jobEdges.push(row);
  }
  for (let k = 0; k < intervals; k++) net.addEdge(n + k, sink, Math.max(0, free(k)) * (cuts[k + 1]! - cuts[k]!));
  const delivered = net.maxFlow(source, sink);
  const amounts = jobEdges.map((row) => row.map((e, k) => (e === null ? 0 : cuts[k + 1]! - cuts[k]! - e.cap)));
  const total = need.reduce((a, b) => a + b, 0);
  return { feasible: delivered === total, cuts, amounts, delivered };
}

/**
 * The same feasibility answer as `intervalFlow(...).feasible`, from the minimum cut in closed form.
 * In the slot network (source → car j: need[j]; car j → each slot before its deadline: 1; slot t →
 * sink: the chargers free at t), a cut keeps a set S of slots on the source side and pays the free
 * chargers of S plus, per car, the lesser of its need and its slots outside S. For |S| = s the first
 * s slots are the cheapest S on both counts (free chargers never decrease over the night; a prefix
 * holds the most of every car's slots), so every need can be met exactly when, for every s,
 * free(0) + … + free(s − 1) + Σ_j min(need[j], max(0, deadline[j] − s)) ≥ Σ_j need[j]
 * (Horn's condition, Horn 1974). O(slots × cars): the planners ask it at every step.
 */
export function canMeetAll(
  need: readonly number[],
  deadline: readonly number[],
  chargers: number,
  busyUntil: readonly number[] = [],
): boolean {
  let total = 0;
  let horizon = 0;
  for (let j = 0; j < need.length; j++) {
    const p = need[j]!;
    if (p <= 0) continue;
    if (p > deadline[j]!) return false;
    total += p;
    horizon = Math.max(horizon, deadline[j]!);
  }
  let capacity = 0;
  for (let s = 1; s <= horizon; s++) {
    let busy = 0;
    for (const b of busyUntil) if (b > s - 1) busy++;
    capacity += Math.max(0, chargers - busy);
    if (capacity >= total) return true;
    let rest = 0;
    for (let j = 0; j < need.length; j++) {
      const p = need[j]!;
      if (p > 0) rest += Math.min(p, Math.max(0, deadline[j]! - s));
    }
    if (capacity + rest < total) return false;
  }
  return true;
}
