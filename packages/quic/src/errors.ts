import { DecodeError } from '@x/wire';

/** RFC 9000 §20.1 transport error codes (and RFC 9221 / RFC 9001 additions). */
export const TransportError = {
  NO_ERROR: 0x00,
  INTERNAL_ERROR: 0x01,
  CONNECTION_REFUSED: 0x02,
  FLOW_CONTROL_ERROR: 0x03,
  STREAM_LIMIT_ERROR: 0x04,
  STREAM_STATE_ERROR: 0x05,
  FINAL_SIZE_ERROR: 0x06,
  FRAME_ENCODING_ERROR: 0x07,
  TRANSPORT_PARAMETER_ERROR: 0x08,
  CONNECTION_ID_LIMIT_ERROR: 0x09,
  PROTOCOL_VIOLATION: 0x0a,
  INVALID_TOKEN: 0x0b,
  APPLICATION_ERROR: 0x0c,
  CRYPTO_BUFFER_EXCEEDED: 0x0d,
  KEY_UPDATE_ERROR: 0x0e,
  AEAD_LIMIT_REACHED: 0x0f,
  NO_VIABLE_PATH: 0x10,
  /** RFC 9000 §20.1: CRYPTO_ERROR is 0x0100 plus the TLS alert (0x0100-0x01ff). */
  CRYPTO_ERROR: 0x100,
} as const;

export type TransportErrorName = keyof typeof TransportError;

const NAMES = new Map<number, string>(Object.entries(TransportError).map(([k, v]) => [v, k]));

/** The RFC name of a transport error code (CRYPTO_ERROR(alert) for 0x100-0x1ff). */
export function transportErrorName(code: number): string {
  if (code > 0x100 && code <= 0x1ff) return `CRYPTO_ERROR(${code - 0x100})`;
  return NAMES.get(code) ?? `0x${code.toString(16)}`;
}

/**
 * A QUIC connection error: the transport error code that goes into
 * CONNECTION_CLOSE (type 0x1c), the frame type that triggered it when known
 * (RFC 9000 §19.19), and a human sentence for the reason phrase and logs.
 */
export class QuicError extends Error {
  override readonly name = 'QuicError';
  readonly code: number;
  /** The frame type that caused the error, or 0 when unknown (RFC 9000 §19.19). */
  readonly frameType: number;

  constructor(code: number, reason: string, frameType = 0, options?: { cause?: unknown }) {
    super(`${transportErrorName(code)}: ${reason}`, options);
    this.code = code;
    this.frameType = frameType;
  }

  /** RFC 9001 §4.8: a TLS alert becomes CRYPTO_ERROR 0x100 + alert. */
  static crypto(alert: number, reason: string): QuicError {
    if (!Number.isInteger(alert) || alert < 0 || alert > 0xff) {
      throw new RangeError(`TLS alert out of range: ${alert}`);
    }
    return new QuicError(TransportError.CRYPTO_ERROR + alert, reason, 0x06);
  }

  /** The TLS alert carried by a CRYPTO_ERROR code, or undefined. */
  get alert(): number | undefined {
    return this.code >= 0x100 && this.code <= 0x1ff ? this.code - 0x100 : undefined;
  }
}

/** Maps a DecodeError raised while reading a frame to FRAME_ENCODING_ERROR (RFC 9000 §12.4). */
export function frameEncodingError(e: unknown, frameType: number): QuicError {
  if (e instanceof QuicError) return e;
  if (e instanceof DecodeError) {
    return new QuicError(TransportError.FRAME_ENCODING_ERROR, e.message, frameType, { cause: e });
  }
  throw e;
}
