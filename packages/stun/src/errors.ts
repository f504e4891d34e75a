/**
 * The STUN error codes this package produces or interprets (RFC 8489 §14.8,
 * RFC 8445 §16.2), and the error a failed transaction or rejected request
 * carries. Malformed bytes raise @x/wire's DecodeError; a server maps that to 400.
 */
export const ErrorCode = {
  TRY_ALTERNATE: 300,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  UNKNOWN_ATTRIBUTE: 420,
  STALE_NONCE: 438,
  ROLE_CONFLICT: 487,
  SERVER_ERROR: 500,
} as const;

/** Reason phrases recommended by the IANA registry (RFC 8489 §14.8, RFC 8445 §16.2). */
export function reasonPhrase(code: number): string {
  switch (code) {
    case 300:
      return 'Try Alternate';
    case 400:
      return 'Bad Request';
    case 401:
      return 'Unauthenticated';
    case 420:
      return 'Unknown Attribute';
    case 438:
      return 'Stale Nonce';
    case 487:
      return 'Role Conflict';
    case 500:
      return 'Server Error';
    default:
      return 'Error';
  }
}

/**
 * A STUN-level failure: `code` is the STUN error code (from the peer's
 * ERROR-CODE, or the one a server answers with), 0 when there is none
 * (a timeout or an integrity violation on the client side).
 */
export class StunError extends Error {
  override readonly name = 'StunError';
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}
