/**
 * Errors the sandbox raises towards its own callers (the payments service,
 * the "Simulate payment" / "Simulate cancel" controls, app start-up). Wire
 * errors towards `@code-wallet/client` are a different thing: see
 * `wire-protocol.ts`.
 *
 */
import { CounterError } from '../app/errors';

export type SandboxErrorCode =
  /** simulatePayment / simulateCancel named an intent this sandbox never saw. */
  | 'intent-not-found'
  /** simulatePayment / simulateCancel on an intent the customer already paid. */
  | 'intent-already-paid'
  /** simulatePayment on an intent the customer cancelled. */
  | 'intent-cancelled'
  /** A simulation control was used after close(). */
  | 'sequencer-closed'
  /** sandbox-key.json exists but cannot be read as a key: never overwritten silently. */
  | 'key-file-corrupt'
  /** sandbox-sequencer.sqlite exists but is not a usable sandbox file (not SQLite, damaged, foreign tables): never replaced. */
  | 'sandbox-db-corrupt'
  /** sandbox-sequencer.sqlite was written by a newer Counter: left untouched. */
  | 'sandbox-db-newer';

export class SandboxError extends CounterError {
  override readonly name = 'SandboxError';
  declare readonly code: SandboxErrorCode;

  constructor(code: SandboxErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
