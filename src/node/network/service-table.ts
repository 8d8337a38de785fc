import type { KubeObject } from '../../api/meta.js';
import type { ServiceFragment, ServicePortModel } from '../proxy/index.js';

/** One Service's ports as the proxier on a node sees them (shared by nodes that see the same). */
export interface PortsMemo {
  readonly ports: readonly ServicePortModel[];
  /** Per port: what its fragment is a function of, besides the proxier's flags. */
  readonly keys: readonly string[];
  /** Endpoints over its ports. */
  readonly endpoints: number;
  /** iptables mode: its ports' fragments for the proxier's flags last asked for (shared like the ports). */
  rendered?: { readonly flags: string; readonly fragments: ReadonlyMap<string, ServiceFragment>; readonly lines: number };
}

/** One Service's part of kube-proxy's state on a node: its ports and, in iptables mode, their fragments. */
export interface ServiceEntry {
  /** "namespace/name". */
  readonly key: string;
  /** Its place among Services: the order of the informer's cache, the order the proxier walks them in. */
  readonly seq: number;
  readonly service: KubeObject;
  /** Its IPv4 EndpointSlices, in cache order. */
  readonly slices: readonly KubeObject[];
  readonly ports: PortsMemo;
  /** iptables mode: each port's fragment, by `servicePortKey` (empty in other modes). */
  readonly fragments: ReadonlyMap<string, ServiceFragment>;
  /** iptables mode: the lines of `iptables-save` its fragments make. */
  readonly lines: number;
}

/**
 * Every Service's entry as of one sync, kept for as long as the rules of that sync are (the
 * kernel's current rules, a recorded step's table): a persistent map. A sync makes a new table
 * from the last one and the entries it changed, without copying the others; only when the
 * changes since the last full copy outnumber the Services is the table copied again, so a sync
 * costs in proportion to its changes (amortized) and a table's history stays as small as the
 * table. Reading a table's entries (to render the whole text) replays at most that many changes.
 */
export class ServiceTable {
  private constructor(
    /** A full copy, or undefined when this table is `parent` plus `delta`. */
    private readonly base: ReadonlyMap<string, ServiceEntry> | undefined,
    private readonly parent: ServiceTable | undefined,
    /** The entries one sync changed; null for a Service it removed. */
    private readonly delta: ReadonlyMap<string, ServiceEntry | null> | undefined,
    /** Changed entries since the last full copy. */
    readonly changes: number,
  ) {}

  /** A table holding a copy of `entries`. */
  static of(entries: ReadonlyMap<string, ServiceEntry>): ServiceTable {
    return new ServiceTable(new Map(entries), undefined, undefined, 0);
  }

  /** This table with the entries one sync changed. */
  then(delta: ReadonlyMap<string, ServiceEntry | null>): ServiceTable {
    return delta.size === 0 ? this : new ServiceTable(undefined, this, delta, this.changes + delta.size);
  }

  /** Every Service's entry, in the informer's order. */
  entries(): ServiceEntry[] {
    const deltas: ReadonlyMap<string, ServiceEntry | null>[] = [];
    let table: ServiceTable = this;
    while (table.base === undefined) {
      deltas.push(table.delta!);
      table = table.parent!;
    }
    const all = new Map(table.base);
    for (let i = deltas.length - 1; i >= 0; i--) {
      for (const [key, entry] of deltas[i]) {
        if (entry) all.set(key, entry);
        else all.delete(key);
      }
    }
    return [...all.values()].sort((a, b) => a.seq - b.seq);
  }
}
