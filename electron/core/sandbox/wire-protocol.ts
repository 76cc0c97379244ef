import * as proto from '@code-wallet/rpc';

/**
 * The HTTP framing `@code-wallet/client` speaks (client.js, `Client.send`):
 *
 *   POST {endpoint}/api/   Content-Type: application/octet-stream
 *   body = code.common.v1.Request  { service: "Messaging", method: "sendMessage", body: <request bytes> }
 *   2xx  = code.common.v1.Response { result: OK, body: <response bytes> }
 *
 * The client only looks at the HTTP status: any non-2xx becomes
 * `Error("Request failed with status code N")`, and on 2xx it decodes
 * `Response.body` WITHOUT checking `Response.result`. An error answered with
 * 200 would therefore decode as an all-defaults response (`result: OK`,
 * `exists: false`, ...), i.e. a silent success. So every error here is a
 * non-2xx status, and the body still carries `Response{ result: ERROR,
 * message }` for readers that do look at it (the SDK's WebSocket transport
 * does).
 */

/** The production endpoint is https://cash.getcode.com/v1; the sandbox mirrors its /v1 prefix. */
export const ENDPOINT_PREFIX = '/v1';
export const API_PATH = `${ENDPOINT_PREFIX}/api/`;

/** A SendMessageRequest is a few hundred bytes; nothing legitimate comes close. */
export const MAX_BODY_BYTES = 16 * 1024;

/** gRPC status names the real sequencer returns, and the HTTP status the sandbox answers for each. */
export type RpcCode = 'INVALID_ARGUMENT' | 'UNAUTHENTICATED' | 'PERMISSION_DENIED' | 'NOT_FOUND' | 'UNIMPLEMENTED' | 'INTERNAL';

const HTTP_STATUS: Record<RpcCode, number> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  UNIMPLEMENTED: 501,
  INTERNAL: 500,
};

export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly code: RpcCode,
    message: string,
  ) {
    super(message);
  }
  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}

export interface RpcCall {
  service: string;
  method: string;
  body: Uint8Array;
}

export function decodeEnvelope(bytes: Uint8Array): RpcCall {
  let envelope: proto.Common.Request;
  try {
    envelope = proto.Common.Request.fromBinary(bytes);
  } catch (error) {
    throw new RpcError('INVALID_ARGUMENT', `body is not a code.common.v1.Request: ${(error as Error).message}`);
  }
  if (!envelope.service || !envelope.method) throw new RpcError('INVALID_ARGUMENT', 'envelope has no service or method');
  return { service: envelope.service, method: envelope.method, body: envelope.body };
}

/** Decodes a method's request body, turning protobuf failures into INVALID_ARGUMENT. */
export function decodeBody<T>(decode: (bytes: Uint8Array) => T, bytes: Uint8Array, typeName: string): T {
  try {
    return decode(bytes);
  } catch (error) {
    throw new RpcError('INVALID_ARGUMENT', `body is not a ${typeName}: ${(error as Error).message}`);
  }
}

export function encodeOk(body: Uint8Array): Uint8Array {
  return new proto.Common.Response({ result: proto.Common.Response_Result.OK, body }).toBinary();
}

export function encodeError(message: string): Uint8Array {
  return new proto.Common.Response({ result: proto.Common.Response_Result.ERROR, message }).toBinary();
}
