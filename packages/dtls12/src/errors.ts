/**
 * RFC 5246 §7.2 alert descriptions (the ones DTLS 1.2 uses) and the typed error
 * every handshake failure raises: it carries the alert a peer is (or was) sent.
 */
import { AlertDescription, AlertLevel, alertDescriptionName } from '@x/crypto';

export { AlertDescription, AlertLevel };

/** The RFC name of an alert code, e.g. 42 → "bad_certificate". */
export function alertName(code: number): string {
  return alertDescriptionName(code) ?? `alert_${code}`;
}

/** A DTLS failure with the TLS alert it maps to (RFC 5246 §7.2). */
export class DtlsError extends Error {
  override readonly name = 'DtlsError';
  /** TLS alert description code. */
  readonly alert: number;
  /** True when the peer sent the alert; false when we raised (and sent) it. */
  readonly remote: boolean;

  constructor(alert: number, message: string, remote = false) {
    super(`${alertName(alert)}: ${message}`);
    this.alert = alert;
    this.remote = remote;
  }
}
