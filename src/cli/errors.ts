/** Exit codes: 0 ok, 1 a test or expectation failed, 2 usage or invalid input, 3 internal error, 130 interrupted. */
export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 3, interrupted: 130 } as const;

/** An error the CLI reports as one clear message (no stack trace) with its exit code. */
export class KubeLearnError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
    readonly hint?: string,
  ) {
    super(message);
  }
}
