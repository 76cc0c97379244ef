/**
 * Errors the sandbox raises towards its own callers (the payments service,
 * the "Simulate payment" / "Simulate cancel" controls, app start-up). Wire
 * errors towards `@code-wallet/client` are a different thing: see
 * `wire-protocol.ts`.
 *
 * One class with a string `code`, so the IPC layer can forward
 * `{ code, message }` without instanceof checks across module copies.
 */

export type SandboxErrorCode =
  /** simulatePayment / simulateCancel named an intent this sandbox never saw. */
  | 'INTENT_NOT_FOUND'
  /** simulatePayment / simulateCancel on an intent the customer already paid. */
  | 'INTENT_ALREADY_PAID'
  /** simulatePayment on an intent the customer cancelled. */
  | 'INTENT_CANCELLED'
  /** A simulation control was used after close(). */
  | 'SEQUENCER_CLOSED'
  /** sandbox-key.json exists but cannot be read as a key: never overwritten silently. */
  | 'KEY_FILE_CORRUPT';

export class SandboxError extends Error {
  override readonly name = 'SandboxError';

  constructor(
    readonly code: SandboxErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
