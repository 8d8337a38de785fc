/**
 * A min-heap of scheduled events ordered by (atMs, seq). The sequence number makes the order
 * total: two events due at the same virtual millisecond run in the order they were scheduled,
 * so no ordering is ever left to chance.
 */
export interface ScheduledEvent {
  readonly atMs: number;
  readonly seq: number;
  /** Who scheduled it, for tracing and for cancelling everything a stopped process owns. */
  readonly owner: string;
  run: () => void;
  cancelled: boolean;
}

export class EventQueue {
  private readonly heap: ScheduledEvent[] = [];
  private nextSeq = 0;
  /** The event pushed last; an event can join it only while nothing else was pushed since. */
  last: ScheduledEvent | undefined;

  get size(): number {
    return this.heap.length;
  }

  push(atMs: number, owner: string, run: () => void): ScheduledEvent {
    const event: ScheduledEvent = { atMs, seq: this.nextSeq++, owner, run, cancelled: false };
    this.heap.push(event);
    this.siftUp(this.heap.length - 1);
    this.last = event;
    return event;
  }

  peek(): ScheduledEvent | undefined {
    return this.heap[0];
  }

  pop(): ScheduledEvent | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private less(a: ScheduledEvent, b: ScheduledEvent): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const n = heap.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && this.less(heap[left], heap[smallest])) smallest = left;
      if (right < n && this.less(heap[right], heap[smallest])) smallest = right;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
      i = smallest;
    }
  }
}
