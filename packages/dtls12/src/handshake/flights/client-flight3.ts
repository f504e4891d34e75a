import { AlertDescription, DtlsError } from '../../errors.js';
import type { HandshakeContext } from '../context.js';
import { decodeHelloVerifyRequest } from '../messages/hello-verify-request.js';

/**
 * Client flight 3 input: HelloVerifyRequest (RFC 6347 §4.2.1). The client
 * stores the cookie; the caller then resends the ClientHello with it.
 */
export function handleHelloVerifyRequest(ctx: HandshakeContext, body: Uint8Array): void {
  const hvr = decodeHelloVerifyRequest(body);
  // §4.2.1: server_version here is not a negotiation; accept 1.0 or 1.2.
  if (hvr.serverVersion >> 8 !== 0xfe) {
    throw new DtlsError(AlertDescription.protocol_version, 'HelloVerifyRequest is not DTLS');
  }
  if (hvr.cookie.length === 0)
    throw new DtlsError(AlertDescription.illegal_parameter, 'empty cookie');
  ctx.cookie = hvr.cookie.slice();
}
