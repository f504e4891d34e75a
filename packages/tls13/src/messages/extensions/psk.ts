/**
 * RFC 8446 §4.2.9 psk_key_exchange_modes and §4.2.11 pre_shared_key: the
 * client's identities and binders, the server's selected identity.
 */
import { type Reader, Writer } from '@x/wire';
import { tlsError } from '../../alerts.js';
import { parseExtensionData } from './types.js';

export const PskKeyExchangeMode = { psk_ke: 0, psk_dhe_ke: 1 } as const;

export function encodePskModes(modes: readonly number[]): Uint8Array {
  const w = new Writer(4);
  w.withLength(1, () => {
    for (const m of modes) w.u8(m);
  });
  return w.finish().slice();
}

export function decodePskModes(data: Uint8Array): number[] {
  return parseExtensionData(data, 'psk_key_exchange_modes', (r) => {
    const list = r.vector8('ke_modes');
    if (list.length === 0) throw tlsError('decode_error', 'empty ke_modes');
    return [...list];
  });
}

export interface PskIdentity {
  readonly identity: Uint8Array;
  readonly obfuscatedTicketAge: number;
}

export interface OfferedPsks {
  readonly identities: readonly PskIdentity[];
  readonly binders: readonly Uint8Array[];
}

function writeIdentities(w: Writer, identities: readonly PskIdentity[]): void {
  w.withLength(2, () => {
    for (const id of identities) w.vector16(id.identity).u32(id.obfuscatedTicketAge);
  });
}

/** Length of the binders list as it will be encoded, for the truncated-ClientHello hash (§4.2.11.2). */
export function bindersLength(binderLengths: readonly number[]): number {
  return 2 + binderLengths.reduce((n, l) => n + 1 + l, 0);
}

export function encodeOfferedPsks(psks: OfferedPsks): Uint8Array {
  const w = new Writer(128);
  writeIdentities(w, psks.identities);
  w.withLength(2, () => {
    for (const b of psks.binders) w.vector8(b);
  });
  return w.finish().slice();
}

export function decodeOfferedPsks(data: Uint8Array): OfferedPsks {
  return parseExtensionData(data, 'pre_shared_key', (r: Reader) => {
    const ids = r.subReader(2, 'identities');
    const identities: PskIdentity[] = [];
    while (!ids.done) {
      const identity = ids.vector16('identity');
      if (identity.length === 0) throw tlsError('decode_error', 'empty PSK identity');
      identities.push({ identity, obfuscatedTicketAge: ids.u32('obfuscated_ticket_age') });
    }
    const bs = r.subReader(2, 'binders');
    const binders: Uint8Array[] = [];
    while (!bs.done) {
      const b = bs.vector8('PskBinderEntry');
      if (b.length < 32) throw tlsError('decode_error', 'PSK binder shorter than 32 bytes');
      binders.push(b);
    }
    if (identities.length === 0) throw tlsError('decode_error', 'no PSK identities');
    if (identities.length !== binders.length) {
      throw tlsError('illegal_parameter', 'PSK identities and binders differ in number');
    }
    return { identities, binders };
  });
}

export const encodeSelectedIdentity = (index: number): Uint8Array =>
  new Writer(2).u16(index).finish().slice();

export const decodeSelectedIdentity = (data: Uint8Array): number =>
  parseExtensionData(data, 'pre_shared_key', (r) => r.u16('selected_identity'));
