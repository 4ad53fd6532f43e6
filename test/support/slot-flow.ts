/**
 * An independent feasibility check for night charging: a time-slot bipartite max flow, solved by
 * Edmonds–Karp (BFS augmenting paths). Source → car j (its slots needed), car j → slot t for every
 * slot before its departure (1: a car charges on one charger at a time), slot t → sink (the chargers).
 * Every need can be met exactly when the flow saturates the source.
 */
export function slotMaxFlow(
  need: readonly number[],
  deadline: readonly number[],
  chargers: number,
  slots: number,
): number {
  const n = need.length;
  const source = n + slots;
  const sink = source + 1;
  const size = sink + 1;
  const cap = new Int32Array(size * size);
  const adj: number[][] = Array.from({ length: size }, () => []);
  const key = (a: number, b: number) => a * size + b;
  const add = (a: number, b: number, c: number) => {
    if (!adj[a]!.includes(b)) {
      adj[a]!.push(b);
      adj[b]!.push(a);
    }
    cap[key(a, b)]! += c;
  };
  for (let j = 0; j < n; j++) {
    add(source, j, need[j]!);
    for (let t = 0; t < Math.min(slots, deadline[j]!); t++) add(j, n + t, 1);
  }
  for (let t = 0; t < slots; t++) add(n + t, sink, chargers);
  let flow = 0;
  for (;;) {
    const prev = new Array<number>(size).fill(-1);
    prev[source] = source;
    const queue = [source];
    for (let h = 0; h < queue.length && prev[sink] === -1; h++) {
      const v = queue[h]!;
      for (const w of adj[v]!) {
        if (prev[w] === -1 && cap[key(v, w)]! > 0) {
          prev[w] = v;
          queue.push(w);
        }
      }
    }
    if (prev[sink] === -1) return flow;
    let push = Infinity;
    for (let v = sink; v !== source; v = prev[v]!) push = Math.min(push, cap[key(prev[v]!, v)]!);
    for (let v = sink; v !== source; v = prev[v]!) {
      cap[key(prev[v]!, v)]! -= push;
      cap[key(v, prev[v]!)]! += push;
    }
    flow += push;
  }
}
