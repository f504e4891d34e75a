/**
 * RFC 8446 §6 alerts and the one error type the engine reports. Every protocol
 * violation ends in a TlsError carrying the alert the RFC prescribes; the engine
 * sends that alert and the caller reads the same code from the error.
 */
import { AlertDescription, AlertLevel, type AlertName, alertDescriptionName } from '@x/crypto';
import { DecodeError } from '@x/wire';

export { AlertDescription, AlertLevel, type AlertName };

/** "handshake_failure(40)", or "alert(201)" for a code we have no name for. */
export function alertName(code: number): string {
  const name = alertDescriptionName(code);
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
