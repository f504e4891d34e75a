/**
 * Why an offer was refused. `malformed`: it is not valid SDP (RFC 8866 §5
 * grammar, or an attribute we rely on does not parse). `unsupported`: valid
 * SDP this endpoint cannot answer (no DTLS-SRTP, no rtcp-mux, no codec we
 * accept, ...). Both become HTTP 400 with `message` as the reason.
 */
export type SdpErrorKind = 'malformed' | 'unsupported';

export class SdpError extends Error {
  override readonly name = 'SdpError';
  readonly kind: SdpErrorKind;
  /** 1-based line number of the offending line, when there is one. */
  readonly line: number | undefined;

  constructor(kind: SdpErrorKind, message: string, line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.kind = kind;
    this.line = line;
  }
}
