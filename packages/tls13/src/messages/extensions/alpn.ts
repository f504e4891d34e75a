/** RFC 7301 application_layer_protocol_negotiation: ProtocolName protocol_name_list<2..2^16-1>. */
import { Writer } from '@x/wire';
import { tlsError } from '../../alerts.js';
import { parseExtensionData } from './types.js';

export function encodeAlpn(protocols: readonly Uint8Array[]): Uint8Array {
  const w = new Writer(32);
  w.withLength(2, () => {
    for (const p of protocols) w.vector8(p);
  });
  return w.finish().slice();
}

export function decodeAlpn(data: Uint8Array): Uint8Array[] {
  return parseExtensionData(data, 'application_layer_protocol_negotiation', (r) => {
    const list = r.subReader(2, 'protocol_name_list');
    const out: Uint8Array[] = [];
    while (!list.done) {
      const name = list.vector8('ProtocolName');
      if (name.length === 0) throw tlsError('decode_error', 'empty ALPN protocol name');
      out.push(name);
    }
    if (out.length === 0) throw tlsError('decode_error', 'empty ALPN protocol list');
    return out;
  });
}
