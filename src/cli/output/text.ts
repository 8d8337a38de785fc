import type { Step } from '../../sim/trace.js';
import { formatVirtualTime } from '../../sim/clock.js';
import { statusLabel } from '../../api/request.js';
import { namedRecipients } from '../../controlplane/client/watch-step.js';

/** One transcript line per step (plus its explanation, indented, unless brief). */
export function formatStepText(step: Step, brief = false): string {
  const head = `${String(step.step).padStart(5)}  ${formatVirtualTime(step.t)}  ${step.stage.padEnd(15)}  ${step.from} → ${step.to}${step.recipients ? ` (${namedRecipients(step.recipients)})` : ''}`;
  let body: string;
  if (step.kind === 'request') {
    const status = statusLabel(step);
    body = `${step.method} ${step.path}  ${status}${step.user ? `  as ${step.user}` : ''}`;
  } else body = step.summary;
  const line = `${head}  ${body}${step.heartbeat ? '  (heartbeat)' : ''}`;
  return brief ? `${line}\n` : `${line}\n         ${step.explanation}\n`;
}

/** JSON Lines: one step per line, every recorded field (request, response, key, revision...). */
export function formatStepJson(step: Step): string {
  return `${JSON.stringify(step)}\n`;
}
