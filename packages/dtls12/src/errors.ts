/**
 * RFC 5246 §7.2 alert descriptions (the ones DTLS 1.2 uses) and the typed error
 * every handshake failure raises: it carries the alert a peer is (or was) sent.
 */
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
  user_canceled: 90,
  no_renegotiation: 100,
  unsupported_extension: 110,
} as const;

export type AlertDescriptionName = keyof typeof AlertDescription;

const NAMES = new Map<number, string>(Object.entries(AlertDescription).map(([k, v]) => [v, k]));

/** The RFC name of an alert code, e.g. 42 → "bad_certificate". */
export function alertName(code: number): string {
  return NAMES.get(code) ?? `alert_${code}`;
}

export const AlertLevel = { warning: 1, fatal: 2 } as const;

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
