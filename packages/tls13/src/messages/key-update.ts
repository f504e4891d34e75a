/** RFC 8446 §4.6.3 KeyUpdate. */
import { Reader } from '@x/wire';
import { tlsError } from '../alerts.js';
import { encodeHandshake, HandshakeType } from './handshake-type.js';

export const KeyUpdateRequest = { update_not_requested: 0, update_requested: 1 } as const;

export function decodeKeyUpdate(body: Uint8Array): boolean {
  const r = new Reader(body);
  const v = r.u8('request_update');
  r.expectEnd('end of KeyUpdate');
  // §4.6.3: any other value is illegal_parameter.
  if (v > 1) throw tlsError('illegal_parameter', `KeyUpdate request_update ${v}`);
  return v === 1;
}

export const encodeKeyUpdate = (requestUpdate: boolean): Uint8Array =>
  encodeHandshake(HandshakeType.key_update, Uint8Array.of(requestUpdate ? 1 : 0));
