/** RFC 8446 §4.2.8 key_share: a list of entries (ClientHello), one entry (ServerHello), a group (HRR). */
import { type Reader, Writer } from '@x/wire';
import { tlsError } from '../../alerts.js';
import { parseExtensionData } from './types.js';

export interface KeyShareEntry {
  readonly group: number;
  readonly keyExchange: Uint8Array;
}

function readEntry(r: Reader): KeyShareEntry {
  const group = r.u16('group');
  const keyExchange = r.vector16('key_exchange');
  if (keyExchange.length === 0) throw tlsError('decode_error', 'empty key_exchange');
  return { group, keyExchange };
}

export function encodeClientKeyShare(entries: readonly KeyShareEntry[]): Uint8Array {
  const w = new Writer(64);
  w.withLength(2, () => {
    for (const e of entries) w.u16(e.group).vector16(e.keyExchange);
  });
  return w.finish().slice();
}

export function decodeClientKeyShare(data: Uint8Array): KeyShareEntry[] {
  return parseExtensionData(data, 'key_share', (r) => {
    const list = r.subReader(2, 'client_shares');
    const out: KeyShareEntry[] = [];
    while (!list.done) {
      const e = readEntry(list);
      // §4.2.8: clients MUST NOT offer multiple KeyShareEntry values for the same group.
      if (out.some((x) => x.group === e.group))
        throw tlsError('illegal_parameter', `two key shares for group ${e.group}`);
      out.push(e);
    }
    return out;
  });
}

export function encodeServerKeyShare(entry: KeyShareEntry): Uint8Array {
  return new Writer(entry.keyExchange.length + 4)
    .u16(entry.group)
    .vector16(entry.keyExchange)
    .finish()
    .slice();
}

export const decodeServerKeyShare = (data: Uint8Array): KeyShareEntry =>
  parseExtensionData(data, 'key_share', readEntry);

export const encodeHrrKeyShare = (group: number): Uint8Array =>
  new Writer(2).u16(group).finish().slice();

export const decodeHrrKeyShare = (data: Uint8Array): number =>
  parseExtensionData(data, 'key_share', (r) => r.u16('selected_group'));
