/**
 * ControllerExpectations (pkg/controller/controller_utils.go): how many pod creations and
 * deletions a controller has asked for and not yet seen through its watch. While any are
 * outstanding the controller does not act on its (stale) cache, so it never creates the same
 * pods twice. Deletions are tracked by pod key, so a pod seen twice (deletionTimestamp, then
 * gone) is counted once. Expectations older than five minutes are treated as met, in case a
 * watch event was lost.
 */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  add: number;
  deletions: Set<string>;
  setAtMs: number;
}

export class ControllerExpectations {
  private readonly map = new Map<string, Expectation>();

  constructor(private readonly now: () => number) {}

  satisfied(key: string): boolean {
    const e = this.map.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.deletions.size === 0) return true;
    return this.now() - e.setAtMs > EXPECTATIONS_TIMEOUT_MS;
  }

  expectCreations(key: string, count: number): void {
    this.map.set(key, { add: count, deletions: new Set(), setAtMs: this.now() });
  }

  /** SetExpectations: creations and deletions asked for in the same sync (the DaemonSet controller's). */
  expect(key: string, count: number, podKeys: readonly string[]): void {
    this.map.set(key, { add: count, deletions: new Set(podKeys), setAtMs: this.now() });
  }

  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.map.set(key, { add: 0, deletions: new Set(podKeys), setAtMs: this.now() });
  }

  /** A pod this controller created showed up in the watch, or a create failed (it never will). */
  creationObserved(key: string): void {
    const e = this.map.get(key);
    if (e) e.add -= 1;
  }

  deletionObserved(key: string, podKey: string): void {
    this.map.get(key)?.deletions.delete(podKey);
  }

  pending(key: string): { add: number; del: number } {
    const e = this.map.get(key);
    return { add: Math.max(0, e?.add ?? 0), del: e?.deletions.size ?? 0 };
  }

  delete(key: string): void {
    this.map.delete(key);
  }
}
