/** RFC 8446 §4.2 extension code points and the raw extension list codec. */
import { Reader, type Writer } from '@x/wire';
import { tlsError } from '../../alerts.js';

export const ExtensionType = {
  server_name: 0,
  max_fragment_length: 1,
  status_request: 5,
  supported_groups: 10,
  ec_point_formats: 11,
  signature_algorithms: 13,
  use_srtp: 14,
  heartbeat: 15,
  application_layer_protocol_negotiation: 16,
  signed_certificate_timestamp: 18,
  padding: 21,
  encrypt_then_mac: 22,
  extended_master_secret: 23,
  record_size_limit: 28,
  session_ticket: 35,
  pre_shared_key: 41,
  early_data: 42,
  supported_versions: 43,
  cookie: 44,
  psk_key_exchange_modes: 45,
  certificate_authorities: 47,
  oid_filters: 48,
  post_handshake_auth: 49,
  signature_algorithms_cert: 50,
  key_share: 51,
  quic_transport_parameters: 57,
  renegotiation_info: 0xff01,
} as const;

/** One extension as it is on the wire; typed views are parsed on demand by each extension module. */
export interface Extension {
  readonly type: number;
  readonly data: Uint8Array;
}

/** Decodes `Extension extensions<0..2^16-1>`; a repeated type is illegal_parameter (RFC 8446 §4.2). */
export function readExtensions(r: Reader): Extension[] {
  const list = r.subReader(2, 'extensions');
  const out: Extension[] = [];
  const seen = new Set<number>();
  while (!list.done) {
    const type = list.u16('extension_type');
    const data = list.vector16('extension_data');
    if (seen.has(type)) throw tlsError('illegal_parameter', `extension ${type} appears twice`);
    seen.add(type);
    out.push({ type, data });
  }
  return out;
}

export function writeExtensions(w: Writer, extensions: readonly Extension[]): void {
  w.withLength(2, () => {
    for (const e of extensions) w.u16(e.type).vector16(e.data);
  });
}

export function findExtension(
  extensions: readonly Extension[],
  type: number,
): Uint8Array | undefined {
  for (const e of extensions) if (e.type === type) return e.data;
  return undefined;
}

/** Runs a typed extension decoder over the whole extension_data, requiring it to be consumed. */
export function parseExtensionData<T>(data: Uint8Array, what: string, decode: (r: Reader) => T): T {
  const r = new Reader(data);
  const value = decode(r);
  r.expectEnd(what);
  return value;
}

/**
 * RFC 8701 GREASE values (0x0A0A, 0x1A1A, ... 0xFAFA) appear as extension types,
 * groups, versions, suites and ALPN ids; they must be ignored like any unknown value.
 */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
}
