// What Counter needs from a payment rail: a payment request it can derive
// offline, create, check and prove; the key its webhooks are signed with;
// and whether it takes payment requests at all right now. Code (live) and
// the in-app sandbox sequencer are the two rails; nothing outside
// electron/core/rails/ knows how either one talks.
import type { KeyObject } from 'node:crypto';
import type { RailHealth } from '../../shared/domain/rail';
import type { Mode } from '../../shared/domain/sale';
import type { ScanCodeDrawing } from '../../shared/domain/scan-code';

export type { RailHealth } from '../../shared/domain/rail';

export interface PaymentRequest {
  /** Code's decimal amount (at most two places). */
  amount: number;
  currency: string;
  destination: string;
  /** Global across merchants: the same key always derives the same request. */
  idempotencyKey: string;
}

export interface IntentStatus {
  status: 'pending' | 'confirmed';
  exists: boolean;
  codeScanned: boolean;
  intentSubmitted: boolean;
}

export interface PaymentRail {
  /** 'live' is Code's production sequencer, 'sandbox' the in-app one. */
  readonly mode: Mode;
  /** The Ed25519 public key this rail's webhooks are signed with. */
  readonly webhookKey: KeyObject;
  /** The request's intent id and the button's client secret: offline and deterministic, so both are known before any network call. */
  prepare(request: PaymentRequest): { intentId: string; clientSecret: string };
  /** The scan code the customer scans for this request (offline: the payload is derived, then drawn). */
  scanCode(request: PaymentRequest): Promise<ScanCodeDrawing>;
  /** Creates the request and checks the sequencer kept it. Throws a RailError (with the sequencer's own words in `refusal` when it refused). */
  request(request: PaymentRequest): Promise<{ intentId: string }>;
  registerWebhook(intentId: string, url: string): Promise<{ success: boolean; message: string }>;
  status(intentId: string): Promise<IntentStatus>;
  /** The last known health; 'unknown' until the first check. */
  health(): RailHealth;
  /** Asks the sequencer now; concurrent callers share one check. */
  checkHealth(): Promise<RailHealth>;
  /** Called whenever a check ends with a different state or reason. */
  onHealth(listener: (health: RailHealth) => void): () => void;
}
