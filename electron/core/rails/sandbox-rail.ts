import type { KeyObject } from 'node:crypto';
import type { Logger } from '../app/logger';
import { createCodeRail } from './code-rail';
import type { PaymentRail } from './payment-rail';

/**
 * Sandbox mode's rail: the same Code client, pointed at the in-app sandbox
 * sequencer and trusting this install's sandbox key for webhooks. Being the
 * same code is the point: a sale rehearsed in sandbox goes through exactly
 * the calls a live one makes.
 */
export function createSandboxRail(options: {
  /** The sandbox sequencer's endpoint (SandboxSequencer.endpoint). */
  endpoint: string;
  /** The install's sandbox public key (sandbox-key.ts). */
  webhookKey: KeyObject;
  timeoutMs?: number;
  healthTimeoutMs?: number;
  now?: () => number;
  logger?: Logger;
}): PaymentRail {
  const { endpoint, ...rest } = options;
  return createCodeRail({ ...rest, mode: 'sandbox', endpoint: () => endpoint });
}
