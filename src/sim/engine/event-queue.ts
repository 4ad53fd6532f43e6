/** @module The engine's event queue: what happens when, in time order, ties in the order scheduled. */

/** Something that happens at a minute of the run. */
export type Event =
  | { kind: 'depart'; car: number; k: number }
  | { kind: 'arrive'; car: number; k: number }
  | { kind: 'comeBack'; car: number; k: number }
  | { kind: 'partnerLeave'; car: number; k: number }
  | { kind: 'emergency'; car: number; returnAt: number }
  | { kind: 'knowledge'; k: number }
  | { kind: 'prestage'; car: number; departure: number }
  | { kind: 'resort'; k: number }
  | { kind: 'chargeTick' }
  | { kind: 'snapshot'; k: number }
  | { kind: 'sample' }
  | { kind: 'taskDone'; guard: number; finish: () => void }
  | { kind: 'laneClear'; lane: number };

/** An event with its minute and the order it was scheduled in. */
export interface Queued {
  t: number;
  seq: number;
  event: Event;
}

/** A binary min-heap on (t, seq). */
export class EventQueue {
  private heap: Queued[] = [];
  private seq = 0;
  push(t: number, event: Event): void {
    const h = this.heap;
    h.push({ t, seq: this.seq++, event });
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i] as Queued, h[parent] as Queued)) break;
      [h[i], h[parent]] = [h[parent] as Queued, h[i] as Queued];
      i = parent;
    }
  }
  pop(): Queued | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l] as Queued, h[m] as Queued)) m = l;
        if (r < h.length && before(h[r] as Queued, h[m] as Queued)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as Queued, h[i] as Queued];
        i = m;
      }
    }
    return top;
  }
  get size(): number {
    return this.heap.length;
  }
}

function before(a: Queued, b: Queued): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}
