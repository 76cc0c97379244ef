import { randomUUID } from 'node:crypto';
import * as proto from '@code-wallet/rpc';
import bs58 from 'bs58';
import { checkNewBill, parseSendMessage } from './bill-request';
import type { IntentStore } from './intent-store';
import { checkWebhookUrl } from './webhook-url';
import { decodeBody, RpcError, type RpcCall } from './wire-protocol';
import type { Logger } from '../app/logger';

/**
 * The three methods `@code-wallet/client` calls for payment intents. Service
 * names are the proto service's last segment and method names the SDK's
 * lower-camel keys (client.js `getServiceName`, `send(service, methodName)`).
 */

export interface RpcContext {
  store: IntentStore;
  now: () => number;
  /** The largest amount one new payment request may ask for in `currency` (decimal), or null for none. */
  maximumFor: (currency: string) => number | null;
  /**
   * false: answer as a sequencer without Code's payment service (what Code's
   * open-source sequencer became in June 2025): the bill message and the
   * MicroPayment service are unknown methods, so the client gets an error.
   */
  paymentService: boolean;
  log: Logger;
}

type Handler = (body: Uint8Array, ctx: RpcContext) => Uint8Array;

const HANDLERS: Record<string, Record<string, Handler>> = {
  Messaging: { sendMessage },
  MicroPayment: { getStatus, registerWebhook },
};

/** Answers one envelope with the method's response bytes, or throws an RpcError. */
export function dispatch(call: RpcCall, ctx: RpcContext): Uint8Array {
  if (!ctx.paymentService && (call.service === 'MicroPayment' || (call.service === 'Messaging' && call.method === 'sendMessage'))) {
    throw new RpcError('UNIMPLEMENTED', `unknown method ${call.service}.${call.method}`);
  }
  const service = Object.prototype.hasOwnProperty.call(HANDLERS, call.service) ? HANDLERS[call.service] : undefined;
  const handler = service && Object.prototype.hasOwnProperty.call(service, call.method) ? service[call.method] : undefined;
  if (!handler) throw new RpcError('UNIMPLEMENTED', `unknown method ${call.service}.${call.method}`);
  return handler(call.body, ctx);
}

function sendMessage(body: Uint8Array, ctx: RpcContext): Uint8Array {
  const bill = parseSendMessage(body);
  const outcome = ctx.store.acceptBill(bill, ctx.now(), (b) => checkNewBill(b, { maximum: ctx.maximumFor(b.currency) }));
  ctx.log.info(`payment request ${bill.intentId} ${outcome} (${bill.amount} ${bill.currency} to ${bill.destination})`);
  return new proto.SendMessageResponse({
    result: proto.SendMessageResponse_Result.OK,
    messageId: { value: uuidBytes() },
  }).toBinary();
}

function getStatus(body: Uint8Array, ctx: RpcContext): Uint8Array {
  const req = decodeBody((b) => proto.GetStatusRequest.fromBinary(b), body, 'code.micropayment.v1.GetStatusRequest');
  const status = ctx.store.status(intentIdOf(req.intentId?.value));
  return new proto.GetStatusResponse(status).toBinary();
}

function registerWebhook(body: Uint8Array, ctx: RpcContext): Uint8Array {
  const req = decodeBody((b) => proto.RegisterWebhookRequest.fromBinary(b), body, 'code.micropayment.v1.RegisterWebhookRequest');
  const intentId = intentIdOf(req.intentId?.value);
  const R = proto.RegisterWebhookResponse_Result;
  // The URL is checked first, before the intent is even looked up (server.go).
  const check = checkWebhookUrl(req.url);
  if (!check.ok) {
    ctx.log.warn(`webhook for ${intentId} refused, invalid url (${check.reason})`);
    return new proto.RegisterWebhookResponse({ result: R.INVALID_URL }).toBinary();
  }
  const outcome = ctx.store.registerWebhook(intentId, req.url);
  ctx.log.info(`webhook for ${intentId}: ${outcome}`);
  return new proto.RegisterWebhookResponse({ result: R[outcome] }).toBinary();
}

function intentIdOf(value: Uint8Array | undefined): string {
  if (!value || value.length !== 32) throw new RpcError('INVALID_ARGUMENT', 'intent id is not a valid public key');
  return bs58.encode(value);
}

function uuidBytes(): Uint8Array {
  return Uint8Array.from(Buffer.from(randomUUID().replace(/-/g, ''), 'hex'));
}
