import type { SocketAddress } from '@x/wire';
import type { CookieJar } from '../../cookie.js';
import { ContentType, DTLS1_0, type DtlsRecord, encodeRecord } from '../../record/record.js';
import { type ClientHelloPrefix, decodeClientHelloPrefix } from '../messages/client-hello.js';
import { decodeHandshakeFragments, HandshakeType } from '../messages/handshake-header.js';
import { serverFlight2 } from './server-flight2.js';

export type Flight0Verdict =
  /** A ClientHello with a cookie we made: create the session. */
  | { readonly kind: 'accept'; readonly hello: ClientHelloPrefix; readonly messageSeq: number }
  /** A ClientHello without a valid cookie: answer with this HelloVerifyRequest datagram and forget it. */
  | { readonly kind: 'verify'; readonly datagram: Uint8Array; readonly hello: ClientHelloPrefix }
  | { readonly kind: 'drop' };

/**
 * Server flight 0: the stateless front door (RFC 6347 §4.2.1). Looks at one
 * epoch-0 handshake record from an unknown address; a ClientHello (or its
 * first fragment) gets an answer. Never throws, never allocates state.
 */
export function serverFlight0(
  jar: CookieJar,
  remote: SocketAddress,
  record: DtlsRecord,
): Flight0Verdict {
  if (record.type !== ContentType.handshake || record.epoch !== 0) return { kind: 'drop' };
  try {
    const fragments = decodeHandshakeFragments(record.fragment);
    const f = fragments[0];
    if (f === undefined || f.msgType !== HandshakeType.client_hello) return { kind: 'drop' };
    // Only the first fragment counts: the cookie covers fields that always sit in it. Later
    // fragments of a hello whose session exists go to that session; before that they are dropped.
    if (f.fragmentOffset !== 0) return { kind: 'drop' };
    const hello = decodeClientHelloPrefix(f.body);
    if (jar.verify(remote, hello)) return { kind: 'accept', hello, messageSeq: f.messageSeq };
    const hvr = serverFlight2(jar.make(remote, hello), f.messageSeq);
    // §4.2.1: the HelloVerifyRequest reuses the ClientHello's record sequence number; version 1.0 per §4.2.1 note.
    return {
      kind: 'verify',
      hello,
      datagram: encodeRecord(ContentType.handshake, DTLS1_0, 0, record.sequenceNumber, hvr),
    };
  } catch {
    return { kind: 'drop' };
  }
}
