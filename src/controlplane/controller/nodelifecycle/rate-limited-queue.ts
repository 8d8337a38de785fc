/**
 * The node lifecycle controller's per-zone NoExecute tainter (pkg/controller/nodelifecycle/
 * scheduler/rate_limited_queue.go): a unique queue of node names drained through a token-bucket
 * rate limiter (client-go flowcontrol, burst 1), so at most --node-eviction-rate nodes per second
 * get tainted in a zone. A name stays "seen" after it was processed, so it is not tainted twice,
 * until it is removed (the node became Ready again).
 */
export interface RateLimiter {
  readonly qps: number;
  tryAccept(nowMs: number): boolean;
}

/** flowcontrol.NewTokenBucketRateLimiter: starts full; tokens in millionths for exact sums. */
export class TokenBucket implements RateLimiter {
  private microTokens: number;
  private lastMs: number;
  private readonly microPerSecond: number;

  constructor(
    readonly qps: number,
    private readonly burst: number,
    nowMs: number,
  ) {
    this.microTokens = burst * 1_000_000;
    this.lastMs = nowMs;
    this.microPerSecond = Math.round(qps * 1_000_000);
  }

  tryAccept(nowMs: number): boolean {
    const elapsedMs = Math.max(0, nowMs - this.lastMs);
    this.lastMs = nowMs;
    this.microTokens = Math.min(this.burst * 1_000_000, this.microTokens + (elapsedMs * this.microPerSecond) / 1000);
    if (this.microTokens < 1_000_000) return false;
    this.microTokens -= 1_000_000;
    return true;
  }

  /** When the next token is available, for explanations. */
  nextTokenAtMs(): number {
    const missing = 1_000_000 - this.microTokens;
    return missing <= 0 ? this.lastMs : this.lastMs + Math.ceil((missing * 1000) / this.microPerSecond);
  }
}

/** flowcontrol.NewFakeNeverRateLimiter: what a zone gets when its eviction rate is 0. */
export const NEVER: RateLimiter = { qps: 0, tryAccept: () => false };

export interface TimedValue {
  readonly value: string;
  readonly uid: string;
  readonly addedAtMs: number;
  processAtMs: number;
}

/** Eviction rate limiter burst (scheduler.EvictionRateLimiterBurst). */
export const EVICTION_BURST = 1;

export class RateLimitedTimedQueue {
  private readonly queue: TimedValue[] = [];
  private readonly seen = new Set<string>();

  constructor(public limiter: RateLimiter) {}

  get length(): number {
    return this.queue.length;
  }

  /** Adds `value` unless it is queued or was processed and not removed since. */
  add(value: string, uid: string, nowMs: number): boolean {
    if (this.seen.has(value)) return false;
    this.seen.add(value);
    // After every item due at or before it, as a stable sort of the queue would place it.
    this.queue.splice(this.upperBound(nowMs), 0, { value, uid, addedAtMs: nowMs, processAtMs: nowMs });
    return true;
  }

  /** Forgets `value` entirely, so it can be added again. */
  remove(value: string): boolean {
    if (!this.seen.delete(value)) return false;
    const index = this.queue.findIndex((v) => v.value === value);
    if (index >= 0) this.queue.splice(index, 1);
    return true;
  }

  head(): TimedValue | undefined {
    return this.queue[0];
  }

  /** Done with `value`: out of the queue, but still seen. */
  removeFromQueue(value: string): void {
    const index = this.queue.findIndex((v) => v.value === value);
    if (index >= 0) this.queue.splice(index, 1);
  }

  /** Try again at `processAtMs`. */
  retryAt(value: string, processAtMs: number): void {
    const index = this.queue.findIndex((v) => v.value === value);
    if (index < 0) return;
    const [item] = this.queue.splice(index, 1);
    item.processAtMs = processAtMs;
    // Where a stable sort puts it: among items due at the same time, it keeps its old place.
    const at = Math.min(Math.max(index, this.lowerBound(processAtMs)), this.upperBound(processAtMs));
    this.queue.splice(at, 0, item);
  }

  /**
   * SwapLimiter: a new rate, effective at once. With burst 1, if the old bucket was empty the new
   * one starts empty too, so changing rates never grants an extra taint.
   */
  swapLimiter(qps: number, nowMs: number): void {
    if (this.limiter.qps === qps) return;
    if (qps <= 0) {
      this.limiter = NEVER;
      return;
    }
    const next = new TokenBucket(qps, EVICTION_BURST, nowMs);
    if (!this.limiter.tryAccept(nowMs)) next.tryAccept(nowMs);
    this.limiter = next;
  }

  /**
   * The queue stays sorted by processAtMs, equal times in insertion order (a stable sort, as the
   * heap does for our purposes); these find the first item due at or after, and after, `atMs`.
   */
  private lowerBound(atMs: number): number {
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.queue[mid].processAtMs < atMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private upperBound(atMs: number): number {
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.queue[mid].processAtMs <= atMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
