import { Reader } from '@x/wire';

/** RFC 5246 §7.4 / RFC 6347 §4.2.2 HandshakeType. */
export const HandshakeType = {
  hello_request: 0,
  client_hello: 1,
  server_hello: 2,
  hello_verify_request: 3,
  new_session_ticket: 4,
  certificate: 11,
  server_key_exchange: 12,
  certificate_request: 13,
  server_hello_done: 14,
  certificate_verify: 15,
  client_key_exchange: 16,
  finished: 20,
} as const;

/** RFC 6347 §4.2.2: msg_type(1) length(3) message_seq(2) fragment_offset(3) fragment_length(3). */
export const HANDSHAKE_HEADER_LENGTH = 12;

/** One handshake fragment as carried in a record; `body` is a view of the fragment bytes. */
export interface HandshakeFragment {
  readonly msgType: number;
  /** Length of the whole message body. */
  readonly length: number;
  readonly messageSeq: number;
  readonly fragmentOffset: number;
  readonly body: Uint8Array;
}

/** Reads one fragment; raises DecodeError when it is short or claims bytes past the message. */
export function decodeHandshakeFragment(r: Reader): HandshakeFragment {
  const msgType = r.u8('msg_type');
  const length = r.u24('handshake length');
  const messageSeq = r.u16('message_seq');
  const fragmentOffset = r.u24('fragment_offset');
  const fragmentLength = r.u24('fragment_length');
  if (fragmentOffset + fragmentLength > length) {
    r.fail('fragment within message', `offset ${fragmentOffset} + ${fragmentLength} > ${length}`);
  }
  const body = r.bytesView(fragmentLength, 'handshake fragment');
  return { msgType, length, messageSeq, fragmentOffset, body };
}

/** All fragments in a handshake record (several may share one record). */
export function decodeHandshakeFragments(record: Uint8Array): HandshakeFragment[] {
  const r = new Reader(record);
  const out: HandshakeFragment[] = [];
  while (!r.done) out.push(decodeHandshakeFragment(r));
  return out;
}

/** Writes the 12-byte header at `out[offset]`. */
export function writeHandshakeHeader(
  out: Uint8Array,
  offset: number,
  msgType: number,
  length: number,
  messageSeq: number,
  fragmentOffset: number,
  fragmentLength: number,
): void {
  out[offset] = msgType;
  out[offset + 1] = length >>> 16;
  out[offset + 2] = (length >>> 8) & 0xff;
  out[offset + 3] = length & 0xff;
  out[offset + 4] = messageSeq >>> 8;
  out[offset + 5] = messageSeq & 0xff;
  out[offset + 6] = fragmentOffset >>> 16;
  out[offset + 7] = (fragmentOffset >>> 8) & 0xff;
  out[offset + 8] = fragmentOffset & 0xff;
  out[offset + 9] = fragmentLength >>> 16;
  out[offset + 10] = (fragmentLength >>> 8) & 0xff;
  out[offset + 11] = fragmentLength & 0xff;
}

/**
 * The message as one unfragmented fragment: the form that enters the Finished
 * transcript (RFC 6347 §4.2.6: as if sent in a single fragment).
 */
export function encodeHandshakeMessage(
  msgType: number,
  messageSeq: number,
  body: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(HANDSHAKE_HEADER_LENGTH + body.length);
  writeHandshakeHeader(out, 0, msgType, body.length, messageSeq, 0, body.length);
  out.set(body, HANDSHAKE_HEADER_LENGTH);
  return out;
}
