import { wrap } from './text.js';

/**
 * The help screen's text besides the keys: what each mark on screen means, and a short glossary
 * of the Kubernetes words the steps use, each with the page of the Kubernetes documentation
 * that explains it. Pure data and layout, so the screen and the README can be checked against it.
 */
export interface HelpLine {
  readonly text: string;
  readonly tone: 'heading' | 'key' | 'plain' | 'dim' | 'link';
  /**
   * The mark or word in the first column ('' under the one above); a line without one starts
   * at the left edge.
   */
  readonly key?: string;
  /** Cells of the first column (the key padded), when there is one. */
  readonly keyWidth?: number;
}

/** A term or key and its text wrapped beside it: the first line with the key, the rest under the text. */
export function keyedLines(key: string, text: string, keyWidth: number, width: number): HelpLine[] {
  return wrap(text, Math.max(10, width - keyWidth - 2)).map((line, i) => ({ text: line, tone: 'key', key: i === 0 ? key : '', keyWidth }));
}

/** Every mark the player draws, with what it means. */
export const LEGEND: readonly { readonly mark: string; readonly means: string }[] = [
  { mark: '▶', means: 'the current step: the cluster panel shows the store right after it' },
  { mark: '›', means: 'the selected row (↑↓ moves it; Enter inspects it)' },
  { mark: '♥', means: 'a run of heartbeats folded into one row: Lease renewals, unchanged status posts, the watch events they cause. Failures are never folded' },
  { mark: '✓ ● ○', means: 'stage bar: a stage done, the current one, one still to come' },
  { mark: '● ◐ ○', means: 'component line: up; serving with a member down (etcd 2/3); stopped or without quorum' },
  { mark: 'READY', means: 'nodes: the Ready condition as the API server holds it (True, False, Unknown); pods: ready containers / containers' },
  { mark: 'LEASE', means: "time since the node's Lease in kube-node-lease was last renewed: the kubelet renews it every 10s; after --node-monitor-grace-period without one (50s since Kubernetes 1.32, 40s before) the node lifecycle controller sets Ready to Unknown" },
  { mark: 'FAULT', means: 'what the scenario did to the node, which the API may not know yet: cut off (partitioned), down, kubelet or kube-proxy stopped' },
  { mark: 'TAINTS', means: 'key:effect, with the node.kubernetes.io/ prefix left out (unreachable:NoExecute is node.kubernetes.io/unreachable:NoExecute)' },
  { mark: 'refused', means: 'a request that got no HTTP answer: refused (connection refused: no API server listening), timeout (i/o timeout: a partition), reset (the connection broke)' },
];

/** The Kubernetes words the steps use, each with its page in the Kubernetes documentation. */
export const GLOSSARY: readonly { readonly term: string; readonly means: string; readonly url: string }[] = [
  { term: 'Lease', means: 'a small object renewed as a heartbeat (kube-node-lease/<node>) or held by a leader (kube-controller-manager)', url: 'https://kubernetes.io/docs/concepts/architecture/leases/' },
  { term: 'Node status', means: 'conditions (Ready), addresses and capacity the kubelet reports', url: 'https://kubernetes.io/docs/reference/node/node-status/' },
  { term: 'CSR', means: 'CertificateSigningRequest: how a kubelet asks for its client certificate', url: 'https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/' },
  { term: 'TLS bootstrap', means: 'bootstrap token, then CSR, then a certificate for system:node:<name>', url: 'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/' },
  { term: 'Node authorizer', means: 'lets a kubelet touch only its own Node, Lease and pods', url: 'https://kubernetes.io/docs/reference/access-authn-authz/node/' },
  { term: 'Taint', means: 'marks a node so pods without a matching toleration are not scheduled (NoSchedule) or are evicted (NoExecute)', url: 'https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/' },
  { term: 'Watch', means: 'a long request through which kube-apiserver pushes every change', url: 'https://kubernetes.io/docs/reference/using-api/api-concepts/' },
  { term: 'EndpointSlice', means: "the ready pod IPs behind a Service, which every kube-proxy watches", url: 'https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/' },
  { term: 'kube-proxy', means: "turns Services and EndpointSlices into the node's iptables rules", url: 'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-proxy/' },
  { term: 'CNI', means: 'the network plugin the container runtime calls to give a pod its IP', url: 'https://kubernetes.io/docs/concepts/cluster-administration/networking/' },
  { term: 'etcd', means: 'the store behind kube-apiserver; it needs a quorum of members to write', url: 'https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/' },
];

/** The legend and the glossary as lines of `width`, wrapped on word boundaries. */
export function legendLines(width: number): HelpLine[] {
  const keyWidth = Math.max(...LEGEND.map((l) => l.mark.length)) + 2;
  const lines: HelpLine[] = [{ text: 'What the marks mean', tone: 'heading' }];
  for (const { mark, means } of LEGEND) {
    lines.push(...keyedLines(mark, means, keyWidth, width));
  }
  return lines;
}

/**
 * The glossary: term and meaning, then the documentation page on its own line (under the
 * meaning when it fits there, else from the left edge).
 */
export function glossaryLines(width: number): HelpLine[] {
  const keyWidth = Math.max(...GLOSSARY.map((g) => g.term.length)) + 2;
  const lines: HelpLine[] = [{ text: 'Glossary (the Kubernetes documentation)', tone: 'heading' }];
  for (const { term, means, url } of GLOSSARY) {
    lines.push(...keyedLines(term, means, keyWidth, width));
    // A link is never cut: where it does not fit under the meaning it starts at the left
    // edge, and where it does not fit there either it goes without its scheme.
    if (url.length + keyWidth + 2 <= width) lines.push({ text: url, tone: 'link', key: '', keyWidth });
    else lines.push({ text: url.length + 2 <= width ? url : url.replace(/^https:\/\//, ''), tone: 'link' });
  }
  return lines;
}
