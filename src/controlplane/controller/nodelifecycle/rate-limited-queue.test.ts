import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NEVER, RateLimitedTimedQueue } from './rate-limited-queue.js';

/** The queue's order by definition: append, then a stable sort by processAtMs. */
class SortedReference {
  readonly items: { value: string; processAtMs: number }[] = [];
  private readonly seen = new Set<string>();
  add(value: string, nowMs: number): void {
    if (this.seen.has(value)) return;
    this.seen.add(value);
    this.items.push({ value, processAtMs: nowMs });
    this.items.sort((a, b) => a.processAtMs - b.processAtMs);
  }
  retryAt(value: string, atMs: number): void {
    const item = this.items.find((v) => v.value === value);
    if (item) item.processAtMs = atMs;
    this.items.sort((a, b) => a.processAtMs - b.processAtMs);
  }
  remove(value: string): void {
    if (!this.seen.delete(value)) return;
    const index = this.items.findIndex((v) => v.value === value);
    if (index >= 0) this.items.splice(index, 1);
  }
}

const NAMES = ['worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5'];
const op = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), value: fc.constantFrom(...NAMES), atMs: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ kind: fc.constant('retry' as const), value: fc.constantFrom(...NAMES), atMs: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ kind: fc.constant('remove' as const), value: fc.constantFrom(...NAMES), atMs: fc.constant(0) }),
);

describe('RateLimitedTimedQueue', () => {
  it('keeps nodes in the order a stable sort by due time gives, without sorting on every change', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const queue = new RateLimitedTimedQueue(NEVER);
        const reference = new SortedReference();
        for (const o of ops) {
          if (o.kind === 'add') {
            queue.add(o.value, 'uid', o.atMs);
            reference.add(o.value, o.atMs);
          } else if (o.kind === 'retry') {
            queue.retryAt(o.value, o.atMs);
            reference.retryAt(o.value, o.atMs);
          } else {
            queue.remove(o.value);
            reference.remove(o.value);
          }
          expect(queue.length).toBe(reference.items.length);
          expect(queue.head()?.value).toBe(reference.items[0]?.value);
        }
        const order: string[] = [];
        for (let head = queue.head(); head; head = queue.head()) {
          order.push(`${head.value}@${head.processAtMs}`);
          queue.removeFromQueue(head.value);
        }
        expect(order).toEqual(reference.items.map((i) => `${i.value}@${i.processAtMs}`));
      }),
      { numRuns: 300 },
    );
  });
});
