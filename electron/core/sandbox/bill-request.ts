import { createPublicKey, verify } from 'node:crypto';
import * as proto from '@code-wallet/rpc';
import bs58 from 'bs58';
import { microPaymentLimit } from '../../shared/domain/payment-limits';
import { QUARKS_PER_KIN } from './sandbox-exchange';
import { decodeBody, RpcError } from './wire-protocol';

/**
 * Messaging.sendMessage as the real sequencer handles a payment request
 * (code-server pkg/code/server/grpc/messaging/server.go `SendMessage` and
 * message_handler.go `RequestToReceiveBillMessageHandler.Validate`), in the
 * same order: message shape, kind, rendezvous signature, then the bill.
 *
 * What `@code-wallet/client` sends for `paymentIntents.create` (intents
 * package, PaymentRequestIntent.toProto / sign, BaseIntent):
 *
 *   SendMessageRequest {
 *     rendezvous_key { value: <32-byte public key = the intent id> }
 *     signature      { value: Ed25519(rendezvous private key, Message.toBinary()) }
 *     message: Message { request_to_receive_bill {
 *       requestor_account { value: <destination, 32 bytes> }
 *       partial { currency: "usd", native_amount: 0.25 }                     // fiat
 *       exact   { currency: "kin", exchange_rate: 1, native_amount: 5000,
 *                 quarks: 500000000 }                                         // kin
 *       additional_fees [...]                                                 // only with `fees`
 *     } }
 *   }
 */

export interface BillRequest {
  /** base58 rendezvous public key: the intent id the client returned. */
  intentId: string;
  /** base58 requestor account (the merchant's deposit address). */
  destination: string;
  /** Currency code exactly as sent (the client lower-cases it). */
  currency: string;
  /** native_amount exactly as sent: a decimal with at most two places from the client. */
  amount: number;
  /** Only for "kin": the client fixes the rate at 1 and sends the quarks. */
  exact: { exchangeRate: number; quarks: number } | null;
  fees: { destination: string; basisPoints: number }[];
}

/** Message kinds a client may not send (server.go); anything else but a bill is outside the sandbox. */
const FORBIDDEN_KINDS: Record<string, string> = {
  intentSubmitted: 'intent_submitted',
  webhookCalled: 'webhook_called',
  airdropReceived: 'airdrop_received',
};

export function parseSendMessage(body: Uint8Array): BillRequest {
  const req = decodeBody((b) => proto.SendMessageRequest.fromBinary(b), body, 'code.messaging.v1.SendMessageRequest');

  const rendezvous = req.rendezvousKey?.value;
  if (!rendezvous || rendezvous.length !== 32) throw new RpcError('INVALID_ARGUMENT', "rendezvous key isn't a valid public key");
  const message = req.message;
  if (!message) throw new RpcError('INVALID_ARGUMENT', 'message is required');
  if (message.id) throw new RpcError('INVALID_ARGUMENT', 'message.id cannot be set by clients');
  if (message.sendMessageRequestSignature) throw new RpcError('INVALID_ARGUMENT', 'message.send_message_request_signature cannot be set by clients');

  const kind = message.kind.case;
  if (kind === undefined) throw new RpcError('INVALID_ARGUMENT', 'message.kind must be set');
  const forbidden = FORBIDDEN_KINDS[kind];
  if (forbidden) throw new RpcError('INVALID_ARGUMENT', `message.kind cannot be ${forbidden}`);
  if (kind !== 'requestToReceiveBill') throw new RpcError('UNIMPLEMENTED', `the sandbox sequencer only accepts request_to_receive_bill messages, not ${kind}`);

  if (!verifyRendezvousSignature(rendezvous, message, req.signature?.value)) {
    throw new RpcError('UNAUTHENTICATED', 'message is not signed by the rendezvous key');
  }

  return validateBill(bs58.encode(rendezvous), message.kind.value);
}

/**
 * The sequencer verifies the signature over the message as it re-marshals it
 * (auth/signature.go: protobuf fields in field-number order, unknown fields
 * last, then plain proto.Marshal as a fallback), never over the bytes on the
 * wire. For a RequestToReceiveBill every message in the tree declares its
 * fields in number order and `id` / `send_message_request_signature` are
 * refused above, so @bufbuild's toBinary() produces exactly that
 * field-number-ordered encoding, unknown fields last included.
 */
function verifyRendezvousSignature(publicKey: Uint8Array, message: proto.Message, signature: Uint8Array | undefined): boolean {
  if (!signature || signature.length !== 64) return false;
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') }, format: 'jwk' });
    return verify(null, message.toBinary(), key, signature);
  } catch {
    return false; // a 32-byte value that is not a curve point
  }
}

function validateBill(intentId: string, bill: proto.RequestToReceiveBill): BillRequest {
  const destination = bill.requestorAccount?.value;
  if (!destination || destination.length !== 32) throw new RpcError('INVALID_ARGUMENT', 'requestor account is not a valid public key');

  let currency: string;
  let amount: number;
  let exact: BillRequest['exact'] = null;
  const data = bill.exchangeData;
  if (data.case === 'exact') {
    currency = data.value.currency;
    amount = data.value.nativeAmount;
    if (currency !== 'kin') throw new RpcError('INVALID_ARGUMENT', 'exact exchange data is reserved for kin only');
    if (amount !== Math.trunc(amount)) throw new RpcError('INVALID_ARGUMENT', "native amount can't include fractional kin");
    const quarks = data.value.quarks;
    if (quarks % BigInt(QUARKS_PER_KIN) !== 0n) throw new RpcError('INVALID_ARGUMENT', "quark amount can't include fractional kin");
    // Stand-in for the sequencer's check against its rate history: Kin trades at exactly 1.
    if (data.value.exchangeRate !== 1 || quarks !== BigInt(amount) * BigInt(QUARKS_PER_KIN)) {
      throw new RpcError('INVALID_ARGUMENT', 'kin exchange data does not match the kin amount');
    }
    exact = { exchangeRate: 1, quarks: Number(quarks) };
  } else if (data.case === 'partial') {
    currency = data.value.currency;
    amount = data.value.nativeAmount;
    if (currency === 'kin') throw new RpcError('INVALID_ARGUMENT', 'partial exchange data is reserved for fiat currencies');
  } else {
    throw new RpcError('INVALID_ARGUMENT', 'exchange data is nil');
  }
  // Go compares NaN as neither above max nor below min and lets it through; the sandbox does not.
  if (!Number.isFinite(amount) || amount <= 0) throw new RpcError('INVALID_ARGUMENT', 'native amount must be a positive number');

  if (bill.domain) throw new RpcError('UNIMPLEMENTED', 'login-linked payment requests (domain verification) are not supported by the sandbox sequencer');
  if (bill.verifier) throw new RpcError('INVALID_ARGUMENT', 'verifier cannot be set when domain not provided');
  if (bill.signature) throw new RpcError('INVALID_ARGUMENT', 'signature cannot be set when domain not provided');
  if (bill.rendezvousKey) throw new RpcError('INVALID_ARGUMENT', 'rendezvous key cannot be set when domain not provided');

  const fees = bill.additionalFees.map((fee, index) => {
    const feeDestination = fee.destination?.value;
    if (!feeDestination || feeDestination.length !== 32) throw new RpcError('INVALID_ARGUMENT', `destination for fee at index ${index} is not a valid public key`);
    return { destination: bs58.encode(feeDestination), basisPoints: fee.feeBps & 0xffff };
  });

  return { intentId, destination: bs58.encode(destination), currency, amount, exact, fees };
}

/**
 * Checks the sequencer runs only for a new payment request (a retry of an
 * identical one is not re-checked): supported currency, amount limits, fee
 * total. `maximum` is the per-payment maximum to enforce (decimal), null for
 * none; the sandbox enforces Code's table by default, as the real service does.
 */
export function checkNewBill(bill: BillRequest, opts: { maximum: number | null }): void {
  const limit = microPaymentLimit(bill.currency);
  if (!limit) throw new RpcError('INVALID_ARGUMENT', `${bill.currency} currency is not currently supported`);
  // Compared in hundredths: 1.1 and 1.10 are the same amount, and 0.1 + 0.2 is not 0.3 in floating point.
  if (opts.maximum !== null && Math.round(bill.amount * 100) > Math.round(opts.maximum * 100)) {
    throw new RpcError('INVALID_ARGUMENT', `${bill.currency} currency has a maximum amount of ${opts.maximum.toFixed(2)}`);
  }
  if (bill.amount < limit.min) throw new RpcError('INVALID_ARGUMENT', `${bill.currency} currency has a minimum amount of ${limit.min.toFixed(2)}`);
  const totalBps = bill.fees.reduce((sum, fee) => sum + fee.basisPoints, 0);
  if (totalBps > 5_000) throw new RpcError('INVALID_ARGUMENT', 'total fee percentage cannot exceed 50%');
}
