import { formatAge, type ClusterPanelModel, type ComponentCell, type NodeRow, type PodRow } from './cluster-panel.js';
import { elideMiddle, fit } from './text.js';

/**
 * The cluster panel laid out in columns for a given width: which columns fit, how wide each is,
 * and the text of every cell, already cut or padded. Nothing here wraps or overflows: a row is at
 * most `width` cells, a taint is shown whole with its effect (or counted in "+N"), and a pod name
 * that does not fit loses its middle, never the random suffix that tells two replicas apart.
 */
export interface Cell {
  readonly text: string;
  readonly tone?: 'good' | 'warn' | 'bad' | 'dim';
}

/** A header line and rows, every row's cells summing to at most the table's width. */
export interface Table {
  readonly header: string;
  readonly rows: readonly (readonly Cell[])[];
}

/** The prefix of the well-known taint keys, dropped to save room (the help says so). */
const WELL_KNOWN = 'node.kubernetes.io/';

/** `node.kubernetes.io/unreachable:NoExecute` → `unreachable:NoExecute`. */
export function shortTaint(taint: string): string {
  return taint.startsWith(WELL_KNOWN) ? taint.slice(WELL_KNOWN.length) : taint;
}

/**
 * As many whole items as fit in `width`, joined by ', ', then `+N` for the rest. An item that
 * does not fit alone loses the middle of its key, never what follows its last ':' (the effect).
 */
export function fitList(items: readonly string[], width: number): string {
  if (items.length === 0) return '—';
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const more = items.length - i - 1;
    const tail = more ? ` +${more}` : '';
    const candidate = out ? `${out}, ${items[i]}` : items[i];
    if ([...candidate].length + tail.length <= width) {
      out = candidate;
      continue;
    }
    if (out) return `${out} +${items.length - i}`;
    return keepEffect(items[i], width - tail.length) + tail;
  }
  return out;
}

function keepEffect(item: string, width: number): string {
  const colon = item.lastIndexOf(':');
  if (colon <= 0) return elideMiddle(item, width);
  const effect = item.slice(colon);
  return elideMiddle(item.slice(0, colon), Math.max(1, width - effect.length)) + effect;
}

/** One column: its title, the text of each row, and how it is coloured. */
interface Column<Row> {
  readonly title: string;
  readonly text: (row: Row) => string;
  readonly tone?: (row: Row) => Cell['tone'];
}

function widthOf<Row>(column: Column<Row>, rows: readonly Row[]): number {
  return Math.max(column.title.length, ...rows.map((r) => [...column.text(r)].length));
}

/** Node columns, in order; the fault column only when some node has a fault. */
export function nodeTable(nodes: readonly NodeRow[], width: number): Table {
  const registered = nodes.filter((n) => n.registered || n.mark);
  const name: Column<NodeRow> = { title: 'NODE', text: (n) => n.name };
  const ready: Column<NodeRow> = { title: 'READY', text: (n) => n.ready, tone: (n) => (n.ready === 'True' ? 'good' : n.ready === '—' ? undefined : 'bad') };
  const lease: Column<NodeRow> = { title: 'LEASE', text: (n) => (n.leaseAgeMs === undefined ? '—' : formatAge(n.leaseAgeMs)) };
  const fault: Column<NodeRow> = { title: 'FAULT', text: (n) => n.mark ?? '', tone: () => 'bad' };
  const cidr: Column<NodeRow> = { title: 'POD CIDR', text: (n) => n.podCIDR ?? '—' };
  // Two spaces between columns when there is room, one in the narrow side-by-side panel.
  const gap = width >= 76 ? 2 : 1;
  const nameWidth = Math.min(widthOf(name, nodes), Math.max(8, Math.floor(width / 5))) + 2;
  const fixed: [Column<NodeRow>, number][] = [
    [name, nameWidth],
    [ready, widthOf(ready, registered) + gap],
    [lease, widthOf(lease, registered) + gap],
  ];
  if (registered.some((n) => n.mark)) fixed.push([fault, widthOf(fault, registered) + gap]);
  const cidrWidth = widthOf(cidr, registered) + gap;
  const used = fixed.reduce((sum, [, w]) => sum + w, 0);
  // The taints are what a learner watches in a failure; POD CIDR gives way to them when narrow.
  const taintsWanted = Math.max(1, ...registered.map((n) => [...fitList(groupTaints(n.taints.map(shortTaint)), Number.MAX_SAFE_INTEGER)].length));
  if (width - used - cidrWidth >= taintsWanted) fixed.push([cidr, cidrWidth]);
  const taintWidth = Math.max(1, width - fixed.reduce((sum, [, w]) => sum + w, 0));
  const header = fixed.map(([c, w]) => fit(c.title, w)).join('') + 'TAINTS';
  const rows = nodes.map((node): Cell[] => {
    if (!node.registered && !node.mark) return [{ text: fit(node.name, nameWidth) }, { text: 'not registered yet', tone: 'dim' }];
    const cells = fixed.map(([c, w]): Cell => ({ text: fit(c.text(node), w), tone: c.tone?.(node) }));
    const taints = groupTaints(node.taints.map(shortTaint));
    return [...cells, { text: fitList(taints, taintWidth), tone: taints.length ? 'warn' : undefined }];
  });
  return { header: fit(header, width).trimEnd(), rows };
}

/** `unreachable:NoSchedule`, `unreachable:NoExecute` → `unreachable:NoSchedule,NoExecute`. */
function groupTaints(taints: readonly string[]): string[] {
  const out: string[] = [];
  for (const taint of taints) {
    const colon = taint.lastIndexOf(':');
    const last = out[out.length - 1];
    if (last && colon > 0 && last.startsWith(taint.slice(0, colon + 1)) && !last.slice(colon + 1).includes(':')) {
      out[out.length - 1] = `${last},${taint.slice(colon + 1)}`;
    } else out.push(taint);
  }
  return out;
}

/**
 * Pod columns: NAMESPACE (when some pod is outside default; `namespaces` says so when these rows
 * are a part of a longer list), POD, READY, PHASE, NODE, IP.
 */
export function podTable(pods: readonly PodRow[], width: number, namespaces = pods.some((p) => p.namespace !== 'default')): Table {
  const columns: [Column<PodRow>, number][] = [];
  const add = (column: Column<PodRow>, gap = 1) => columns.push([column, widthOf(column, pods) + gap]);
  if (namespaces) add({ title: 'NAMESPACE', text: (p) => p.namespace });
  const rest: Column<PodRow>[] = [
    { title: 'READY', text: (p) => p.ready },
    { title: 'PHASE', text: (p) => p.phase, tone: (p) => (p.phase === 'Running' || p.phase === 'Succeeded' ? 'good' : p.phase === 'Failed' ? 'bad' : 'warn') },
    { title: 'NODE', text: (p) => p.node ?? '—' },
    { title: 'IP', text: (p) => p.ip ?? '—' },
  ];
  const restWidths = rest.map((c, i) => widthOf(c, pods) + (i === rest.length - 1 ? 0 : 1));
  const podWidth = Math.max(12, width - columns.reduce((s, [, w]) => s + w, 0) - restWidths.reduce((s, w) => s + w, 0));
  const pod: Column<PodRow> = { title: 'POD', text: (p) => elideMiddle(p.name, podWidth - 1) };
  const all: [Column<PodRow>, number][] = [...columns, [pod, podWidth], ...rest.map((c, i): [Column<PodRow>, number] => [c, restWidths[i]])];
  const header = all.map(([c, w]) => fit(c.title, w)).join('');
  const rows = pods.map((p) => clip(all.map(([c, w]): Cell => ({ text: fit(c.text(p), w), tone: c.tone?.(p) })), width));
  return { header: fit(header, width).trimEnd(), rows };
}

/** Cells cut so that together they take at most `width` columns. */
function clip(cells: readonly Cell[], width: number): Cell[] {
  const out: Cell[] = [];
  let left = width;
  for (const cell of cells) {
    if (left <= 0) break;
    const text = [...cell.text].length <= left ? cell.text : fit(cell.text, left);
    out.push({ ...cell, text });
    left -= [...text].length;
  }
  return out;
}

/** Short names for the component line when the full ones do not fit. */
const SHORT: Readonly<Record<string, string>> = {
  'kube-apiserver': 'apiserver',
  'kube-controller-manager': 'controller-manager',
  'kube-scheduler': 'scheduler',
};

/** ● up, ◐ degraded (serving, but a member is down), ○ down. */
export const HEALTH_MARK = { up: '●', degraded: '◐', down: '○' } as const;

/**
 * The control-plane components as one line, or two when a note (`lost leader lease`) makes one
 * too long; names shorten (kube-apiserver → apiserver) before anything is cut.
 */
export function componentLines(components: readonly ComponentCell[], width: number): Cell[][] {
  const item = (c: ComponentCell, short: boolean) => `${HEALTH_MARK[c.health]} ${short ? (SHORT[c.name] ?? c.name) : c.name}${c.note ? ` ${c.note}` : ''}`;
  const toneOf = (c: ComponentCell): Cell['tone'] => (c.health === 'up' ? 'good' : c.health === 'degraded' ? 'warn' : 'bad');
  const pack = (short: boolean, lines: number): Cell[][] | undefined => {
    const out: Cell[][] = [[]];
    let used = 0;
    for (const c of components) {
      const text = item(c, short);
      if (used + (used ? 1 : 0) + text.length > width) {
        if (out.length === lines || text.length > width) return undefined;
        out.push([]);
        used = 0;
      }
      out[out.length - 1].push({ text: `${used ? ' ' : ''}${text}`, tone: toneOf(c) });
      used += (used ? 1 : 0) + text.length;
    }
    return out;
  };
  const cut = () => [clip(components.map((c, i) => ({ text: `${i ? ' ' : ''}${item(c, true)}`, tone: toneOf(c) })), width)];
  return pack(false, 1) ?? pack(true, 1) ?? pack(false, 2) ?? pack(true, 2) ?? cut();
}

/** One laid-out row of the panel, with a key that stays the same from frame to frame. */
export interface PanelRow {
  readonly key: string;
  readonly cells: readonly Cell[];
}

/** The cluster panel's lines for a box `height` rows tall, `podRows` of them for pods. */
export interface ClusterPanelLines {
  readonly components: readonly (readonly Cell[])[];
  readonly nodeHeader: string;
  readonly nodes: readonly PanelRow[];
  readonly podHeader: string;
  readonly pods: readonly PanelRow[];
  /** Pods not shown, summed up in a "+N more pods" line. */
  readonly hiddenPods: number;
}

/**
 * Lays out only the rows that fit: in a cluster of thousands of pods a frame formats the dozen
 * shown, and the columns are as wide as those rows need (as kubectl sizes them to what it prints).
 */
export function clusterPanelLines(model: ClusterPanelModel, width: number, height: number, podRows: number): ClusterPanelLines {
  const components = componentLines(model.components, width);
  const pods = podRows - (components.length - 1);
  const nodeRows = Math.max(1, height - 3 - components.length - Math.max(1, pods));
  const shownNodes = model.nodes.slice(0, nodeRows);
  const nodes = nodeTable(shownNodes, width);
  const shownPods = model.podCount > pods ? model.pods.slice(0, Math.max(0, pods - 1)) : model.pods;
  const table = podTable(shownPods, width, model.namespaced);
  return {
    components,
    nodeHeader: nodes.header,
    nodes: nodes.rows.map((cells, i) => ({ key: shownNodes[i].name, cells })),
    podHeader: table.header,
    pods: table.rows.map((cells, i) => ({ key: `${shownPods[i].namespace}/${shownPods[i].name}`, cells })),
    hiddenPods: model.podCount - shownPods.length,
  };
}
