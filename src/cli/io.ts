/** Where the CLI writes; tests pass a fake, `bin/` passes the process's streams. */
export interface CliIo {
  readonly stdout: { write(text: string): boolean; readonly isTTY?: boolean; columns?: number; rows?: number };
  readonly stderr: { write(text: string): boolean };
  readonly stdin?: { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM: long commands (`run`, `test`) stop between slices and exit 130. */
  readonly signal?: AbortSignal;
}
