/**
 * Who can reach the API server. Failures (partitions, a stopped API server) are flips of these
 * flags; the transport consults them on every request and every watch delivery.
 */
export class Network {
  /** One-way delay between any host and the API server. */
  latencyMs = 1;
  /** How long a client waits for an answer that never comes (a partitioned host). */
  requestTimeoutMs = 10_000;
  apiserverUp = true;
  /** The address clients dial: the control-plane host's, port 6443. */
  apiserverAddress = '172.18.0.2:6443';
  private readonly partitioned = new Set<string>();
  private readonly listeners = new Set<() => void>();

  partition(host: string): void {
    this.partitioned.add(host);
    this.changed();
  }

  heal(host: string): void {
    this.partitioned.delete(host);
    this.changed();
  }

  isPartitioned(host: string): boolean {
    return this.partitioned.has(host);
  }

  setApiserverUp(up: boolean): void {
    this.apiserverUp = up;
    this.changed();
  }

  /** Why `host` cannot talk to the API server right now, in Go's error words, or undefined. */
  failure(host: string): { error: string; delayMs: number } | undefined {
    if (this.partitioned.has(host)) {
      return { error: `dial tcp ${this.apiserverAddress}: i/o timeout`, delayMs: this.requestTimeoutMs };
    }
    if (!this.apiserverUp) {
      return { error: `dial tcp ${this.apiserverAddress}: connect: connection refused`, delayMs: 2 * this.latencyMs };
    }
    return undefined;
  }

  /** Called whenever reachability changes, so open watches can be torn down. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
