import { DTLS1_0 } from '../../record/record.js';
import { encodeHandshakeMessage, HandshakeType } from '../messages/handshake-header.js';
import { encodeHelloVerifyRequest } from '../messages/hello-verify-request.js';

/**
 * Server flight 2: HelloVerifyRequest with the cookie, as one handshake
 * message (header included) using the ClientHello's message_seq. RFC 6347
 * §4.2.1: server_version in HelloVerifyRequest should be DTLS 1.0
 * regardless of the version negotiated, to avoid version confusion.
 */
export function serverFlight2(cookie: Uint8Array, messageSeq: number): Uint8Array {
  return encodeHandshakeMessage(
    HandshakeType.hello_verify_request,
    messageSeq,
    encodeHelloVerifyRequest({ serverVersion: DTLS1_0, cookie }),
  );
}
