import { Reader } from '@x/wire';
import { type Extension, ExtensionType, extension } from './extension.js';

/**
 * RFC 5746 §3.2: opaque renegotiated_connection<0..255>. On an initial
 * handshake it is empty; we never renegotiate, so we only ever send it empty
 * (and refuse a non-empty one on an initial handshake, §3.4/§3.6).
 */
export function decodeRenegotiationInfo(data: Uint8Array): Uint8Array {
  const r = new Reader(data);
  const v = r.vector8('renegotiated_connection');
  r.expectEnd('end of renegotiation_info');
  return v;
}

export function renegotiationInfoExtension(): Extension {
  return extension(ExtensionType.renegotiation_info, (w) => w.vector8(new Uint8Array(0)));
}

/** RFC 5746 §3.3: TLS_EMPTY_RENEGOTIATION_INFO_SCSV in a cipher suite list means the same as an empty extension. */
export const TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;
