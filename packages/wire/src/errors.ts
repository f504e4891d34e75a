/**
 * The one error every decoder in the SDK raises on malformed or truncated input.
 * Protocol layers catch it and map it to their own code (TLS decode_error alert,
 * QUIC FRAME_ENCODING_ERROR, STUN 400); nothing else may escape a decoder.
 */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  /** Byte offset in the input where the problem was found. */
  readonly offset: number;
  /** What the decoder expected to find there, e.g. "uint16" or "vector<2^16-1>". */
  readonly expected: string;

  constructor(expected: string, offset: number, detail?: string) {
    super(`${detail ?? `truncated or malformed input: expected ${expected}`} at offset ${offset}`);
    this.offset = offset;
    this.expected = expected;
  }
}

/** Raised by a fixed-capacity Writer that runs out of room, or on a value that cannot be encoded. */
export class EncodeError extends Error {
  override readonly name = 'EncodeError';
}
