/**
 * RFC 8446 §6 alerts and the one error type the engine reports. Every protocol
 * violation ends in a TlsError carrying the alert the RFC prescribes; the engine
 * sends that alert and the caller reads the same code from the error.
 */
import { DecodeError } from '@x/wire';

export const AlertDescription = {
  close_notify: 0,
  unexpected_message: 10,
  bad_record_mac: 20,
  record_overflow: 22,
  handshake_failure: 40,
  bad_certificate: 42,
  unsupported_certificate: 43,
  certificate_revoked: 44,
  certificate_expired: 45,
  certificate_unknown: 46,
  illegal_parameter: 47,
  unknown_ca: 48,
  access_denied: 49,
  decode_error: 50,
  decrypt_error: 51,
  protocol_version: 70,
  insufficient_security: 71,
  internal_error: 80,
  inappropriate_fallback: 86,
  user_canceled: 90,
  missing_extension: 109,
  unsupported_extension: 110,
  unrecognized_name: 112,
  bad_certificate_status_response: 113,
  unknown_psk_identity: 115,
  certificate_required: 116,
  no_application_protocol: 120,
} as const;

export type AlertName = keyof typeof AlertDescription;

const NAMES = new Map<number, AlertName>(
  Object.entries(AlertDescription).map(([name, code]) => [code, name as AlertName]),
);

/** "handshake_failure(40)", or "alert(201)" for a code we have no name for. */
export function alertName(code: number): string {
  const name = NAMES.get(code);
  return name === undefined ? `alert(${code})` : `${name}(${code})`;
}

/** A TLS failure with the RFC 8446 §6 alert code it maps to. */
export class TlsError extends Error {
  override readonly name = 'TlsError';
  /** The alert description (RFC 8446 §6): what we sent, or what the peer sent when `fromPeer`. */
  readonly alert: number;
  /** True when the peer sent this alert to us. */
  readonly fromPeer: boolean;

  constructor(
    alert: number,
    message: string,
    options: { fromPeer?: boolean; cause?: unknown } = {},
  ) {
    super(
      `${alertName(alert)}: ${message}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.alert = alert;
    this.fromPeer = options.fromPeer ?? false;
  }
}

export const tlsError = (alert: AlertName, message: string): TlsError =>
  new TlsError(AlertDescription[alert], message);

/**
 * Maps anything thrown inside the engine to a TlsError: DecodeError is
 * decode_error (RFC 8446 §6.2), a CryptoError about a peer key is
 * illegal_parameter, a certificate failure is bad_certificate, anything else
 * internal_error.
 */
export function toTlsError(e: unknown): TlsError {
  if (e instanceof TlsError) return e;
  if (e instanceof DecodeError)
    return new TlsError(AlertDescription.decode_error, e.message, { cause: e });
  if (e instanceof Error && e.name === 'CryptoError') {
    const code = (e as Error & { code?: string }).code;
    if (code === 'bad_certificate') {
      const expired = /expired|not valid until/.test(e.message);
      return new TlsError(
        expired ? AlertDescription.certificate_expired : AlertDescription.bad_certificate,
        e.message,
        { cause: e },
      );
    }
    if (code === 'bad_encoding')
      return new TlsError(AlertDescription.bad_certificate, e.message, { cause: e });
    if (code === 'invalid_public_key' || code === 'low_order_point' || code === 'invalid_key') {
      return new TlsError(AlertDescription.illegal_parameter, e.message, { cause: e });
    }
    return new TlsError(AlertDescription.internal_error, e.message, { cause: e });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new TlsError(AlertDescription.internal_error, message, { cause: e });
}
