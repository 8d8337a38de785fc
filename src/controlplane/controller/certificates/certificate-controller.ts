import type { Process } from '../../../sim/simulation.js';
import { sharedInformer, type InformerLike } from '../../client/shared-informer.js';
import { WorkQueue, runWorker } from '../../client/workqueue.js';
import type { ControllerContext } from '../context.js';
import { CSR_PATH, type CsrObject } from './csr.js';

/**
 * The shared loop of the certificate controllers (pkg/controller/certificates/
 * certificate_controller.go): an informer on CertificateSigningRequests feeds a workqueue;
 * requests that already carry a certificate are skipped; a failed sync is retried with
 * exponential backoff (200ms doubling to 1000s), which is also how the approver "waits" on a
 * SubjectAccessReview that said no.
 */
export interface SyncError {
  readonly error: string;
  /** IgnorableError: expected (a SAR said no), retried quietly. */
  readonly ignorable?: boolean;
}

export type CsrHandler = (csr: CsrObject) => Process<SyncError | undefined>;

const BASE_DELAY_MS = 200;
const MAX_DELAY_MS = 1000 * 1000;

export class CertificateController {
  readonly informer: InformerLike<CsrObject>;
  private readonly queue: WorkQueue;
  /** Per-key failure counts for ItemExponentialFailureRateLimiter. */
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly ctx: ControllerContext,
    why: string,
    private readonly handler: CsrHandler,
  ) {
    this.queue = new WorkQueue(ctx.sim, ctx.actor);
    this.informer = sharedInformer<CsrObject>(ctx, 'csr-informer', { path: CSR_PATH, why, stage: 'authentication' }, {
      onAdd: (csr) => this.queue.add(csr.metadata.name ?? ''),
      onUpdate: (_old, csr) => this.queue.add(csr.metadata.name ?? ''),
      onDelete: (csr) => this.queue.add(csr.metadata.name ?? ''),
      onSynced: () => ctx.sim.spawn(ctx.actor, runWorker(this.queue, (key) => this.sync(key))),
    });
  }

  start(): void {
    this.informer.start();
  }

  /** How many times in a row `name` has failed (0 after a success): lets handlers speak only once. */
  failureCount(name: string): number {
    return this.failures.get(name) ?? 0;
  }

  /** The delay before the next retry of `name`, as the rate limiter would give it. */
  nextRetryDelayMs(name: string): number {
    return Math.min(BASE_DELAY_MS * 2 ** this.failureCount(name), MAX_DELAY_MS);
  }

  private *sync(name: string): Process<void> {
    const csr = this.informer.cache.get(name);
    // Deleted, or already issued: nothing left to do for either controller.
    if (!csr || csr.status?.certificate) {
      this.failures.delete(name);
      return;
    }
    let result: SyncError | undefined;
    try {
      result = yield* this.handler(csr);
    } catch (error) {
      result = { error: (error as Error).message };
    }
    if (!result) {
      this.failures.delete(name);
      return;
    }
    const delayMs = this.nextRetryDelayMs(name);
    this.failures.set(name, this.failureCount(name) + 1);
    this.queue.addAfter(name, delayMs);
  }
}
