/** RFC 6066 §3 server_name: a list with one host_name entry. */
import { type Reader, Writer } from '@x/wire';
import { tlsError } from '../../alerts.js';
import { parseExtensionData } from './types.js';

const decoder = new TextDecoder('utf-8', { fatal: false });

export function encodeServerName(hostName: string): Uint8Array {
  const name = new TextEncoder().encode(hostName);
  const w = new Writer(name.length + 5);
  w.withLength(2, () => {
    w.u8(0).vector16(name);
  });
  return w.finish().slice();
}

/** The host_name, or undefined when the list has none. The server's empty acknowledgement is handled by the caller. */
export function decodeServerName(data: Uint8Array): string | undefined {
  return parseExtensionData(data, 'server_name', (r: Reader) => {
    const list = r.subReader(2, 'server_name_list');
    let host: string | undefined;
    if (list.done) throw tlsError('decode_error', 'empty server_name_list');
    while (!list.done) {
      const type = list.u8('name_type');
      const name = list.vector16('host_name');
      if (type === 0) {
        // RFC 6066 §3: at most one name of a type.
        if (host !== undefined) throw tlsError('illegal_parameter', 'two host_name entries');
        if (name.length === 0) throw tlsError('decode_error', 'empty host_name');
        host = decoder.decode(name);
      }
    }
    return host;
  });
}
