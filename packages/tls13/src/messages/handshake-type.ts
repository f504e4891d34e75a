/** RFC 8446 §4: HandshakeType values and the 4-byte handshake header. */
import { concatBytes, DecodeError, Reader } from '@x/wire';

export const HandshakeType = {
  client_hello: 1,
  server_hello: 2,
  new_session_ticket: 4,
  end_of_early_data: 5,
  encrypted_extensions: 8,
  certificate: 11,
  certificate_request: 13,
  certificate_verify: 15,
  finished: 20,
  key_update: 24,
  message_hash: 254,
} as const;

/** A whole handshake message: its type, its body and the exact bytes (header included) for the transcript. */
export interface HandshakeMessage {
  readonly type: number;
  readonly body: Uint8Array;
  readonly raw: Uint8Array;
}

/** Frames a body as a Handshake message: msg_type, uint24 length, body. */
export function encodeHandshake(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out[0] = type;
  out[1] = body.length >>> 16;
  out[2] = body.length >>> 8;
  out[3] = body.length;
  out.set(body, 4);
  return out;
}

/** The largest handshake message we accept: certificate chains of real sites stay far below. */
export const MAX_HANDSHAKE_MESSAGE = 0x10000 * 4;

/**
 * Reassembles handshake messages from a byte stream (TLS records or QUIC CRYPTO
 * frames deliver arbitrary pieces, RFC 8446 §5.1). One joiner per level.
 */
export class HandshakeJoiner {
  #buf: Uint8Array = new Uint8Array(0);

  get pending(): number {
    return this.#buf.length;
  }

  push(data: Uint8Array): void {
    this.#buf = concatBytes(this.#buf, data);
  }

  /** The next complete message, or undefined; DecodeError for an oversized length. */
  next(): HandshakeMessage | undefined {
    const b = this.#buf;
    if (b.length < 4) return undefined;
    const len = (b[1]! << 16) | (b[2]! << 8) | b[3]!;
    if (len > MAX_HANDSHAKE_MESSAGE) {
      throw new DecodeError(
        'handshake message',
        1,
        `handshake message of ${len} bytes is too large`,
      );
    }
    if (b.length < 4 + len) return undefined;
    const raw = b.subarray(0, 4 + len);
    this.#buf = b.subarray(4 + len);
    return { type: b[0]!, body: raw.subarray(4), raw };
  }
}

/** Decodes exactly one handshake message from bytes (tests, property checks). */
export function decodeHandshake(bytes: Uint8Array): HandshakeMessage {
  const r = new Reader(bytes);
  const type = r.u8('msg_type');
  const body = r.vector24('handshake body');
  r.expectEnd('end of handshake message');
  return { type, body, raw: bytes };
}
