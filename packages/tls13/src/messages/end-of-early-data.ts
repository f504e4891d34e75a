/** RFC 8446 §4.5 EndOfEarlyData: an empty body. */
import { tlsError } from '../alerts.js';
import { encodeHandshake, HandshakeType } from './handshake-type.js';

export function decodeEndOfEarlyData(body: Uint8Array): void {
  if (body.length !== 0) throw tlsError('decode_error', 'EndOfEarlyData must be empty');
}

export const encodeEndOfEarlyData = (): Uint8Array =>
  encodeHandshake(HandshakeType.end_of_early_data, new Uint8Array(0));
