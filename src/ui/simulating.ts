import type { StepSource } from '../view/step-source.js';
import type { PlayerAction } from './player.js';

/** Virtual time as a span: "45s", "12m05s", "3h12m". */
export function formatSpan(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

const WAITING: Partial<Record<PlayerAction['type'], string>> = {
  last: 'for the last step',
  stage: 'for that stage',
  nextNonHeartbeat: 'for the next step that is not a heartbeat',
  next: 'for the next step',
};

/**
 * The hint line while a key waits for the simulation to get far enough (or playing has caught up
 * with it): how far the simulation has got, in virtual time and steps.
 */
export function simulatingNotice(source: StepSource, pending: PlayerAction | undefined): string {
  const at = source.nowMs === undefined ? '' : ` t=${formatSpan(source.nowMs)}`;
  const why = pending ? (WAITING[pending.type] ?? '') : '';
  return `simulating…${at} · ${source.steps.length.toLocaleString('en-US')} steps${why ? ` · ${why}` : ''} · q quit`;
}
