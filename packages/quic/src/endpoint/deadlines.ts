/**
 * The next deadline of each of many items (an endpoint's connections), so that
 * the earliest one and the expired ones are found without visiting every item:
 * a binary min-heap with lazy deletion. An item's newest deadline is the only
 * live one; older heap entries are skipped when they surface, and the heap is
 * rebuilt when stale entries outnumber live ones (an idle timer moves forward
 * with every packet, so stale entries would otherwise pile up).
 */
export class Deadlines<T> {
  #heap: { at: number; item: T }[] = [];
  readonly #live = new Map<T, number>();

  get size(): number {
    return this.#live.size;
  }

  /** Heap entries, live and stale (for tests: bounded by about four per live item). */
  get entries(): number {
    return this.#heap.length;
  }

  /** Sets (or, with undefined, clears) the item's deadline. */
  set(item: T, at: number | undefined): void {
    if (at === undefined || Number.isNaN(at)) {
      this.#live.delete(item);
      return;
    }
    if (this.#live.get(item) === at) return;
    this.#live.set(item, at);
    this.#push({ at, item });
    if (this.#heap.length > 64 && this.#heap.length > 4 * this.#live.size) this.#rebuild();
  }

  delete(item: T): void {
    this.#live.delete(item);
  }

  /** The earliest live deadline, or undefined when none is set. */
  peek(): number | undefined {
    this.#dropStale();
    return this.#heap[0]?.at;
  }

  /** Removes and returns the items whose deadline is at or before `now`, earliest first. */
  takeDue(now: number): T[] {
    const due: T[] = [];
    for (;;) {
      this.#dropStale();
      const top = this.#heap[0];
      if (top === undefined || top.at > now) return due;
      this.#pop();
      this.#live.delete(top.item);
      due.push(top.item);
    }
  }

  #dropStale(): void {
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined || this.#live.get(top.item) === top.at) return;
      this.#pop();
    }
  }

  #rebuild(): void {
    this.#heap = [];
    for (const [item, at] of this.#live) this.#push({ at, item });
  }

  #push(e: { at: number; item: T }): void {
    const h = this.#heap;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.at <= e.at) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  #pop(): void {
    const h = this.#heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && h[r]!.at < h[l]!.at ? r : l;
      if (h[c]!.at >= last.at) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}
