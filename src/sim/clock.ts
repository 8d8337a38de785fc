/**
 * Virtual time. Only the Simulation advances it, one event at a time; nothing in the core reads
 * the wall clock. `EPOCH_MS` anchors virtual t=0 to a fixed calendar instant so that timestamps
 * written into objects (creationTimestamp, renewTime) are identical on every run.
 */
export const EPOCH_MS = Date.UTC(2026, 0, 1, 9, 0, 0);

export class VirtualClock {
  nowMs = 0;

  /** RFC 3339 with seconds, as metav1.Time serialises. */
  rfc3339(atMs = this.nowMs): string {
    return new Date(EPOCH_MS + atMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** RFC 3339 with microseconds, as metav1.MicroTime serialises (leases' renewTime). */
  rfc3339Micro(atMs = this.nowMs): string {
    return new Date(EPOCH_MS + atMs).toISOString().replace(/Z$/, '000Z');
  }
}

/** Parses an RFC 3339 timestamp written by `VirtualClock` back into virtual ms. */
export function virtualMs(timestamp: string): number {
  return Date.parse(timestamp) - EPOCH_MS;
}

/** `t=MM:SS.mmm`, the way the transcript and the UI print virtual time. */
export function formatVirtualTime(ms: number): string {
  const minutes = Math.floor(ms / 60000);
  const seconds = Math.floor((ms % 60000) / 1000);
  const millis = ms % 1000;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}.${String(millis).padStart(3, '0')}`;
}
