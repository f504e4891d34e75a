/**
 * Small extensions: cookie (RFC 8446 §4.2.2), early_data (§4.2.10; empty, or
 * max_early_data_size in NewSessionTicket), record_size_limit (RFC 8449) and
 * quic_transport_parameters (RFC 9001 §8.2, carried as opaque bytes).
 */
import { Writer } from '@x/wire';
import { tlsError } from '../../alerts.js';
import { parseExtensionData } from './types.js';

export function encodeCookie(cookie: Uint8Array): Uint8Array {
  return new Writer(cookie.length + 2).vector16(cookie).finish().slice();
}

export function decodeCookie(data: Uint8Array): Uint8Array {
  const c = parseExtensionData(data, 'cookie', (r) => r.vector16('cookie'));
  if (c.length === 0) throw tlsError('decode_error', 'empty cookie');
  return c;
}

export function expectEmpty(data: Uint8Array, name: string): void {
  if (data.length !== 0) throw tlsError('decode_error', `${name} extension must be empty`);
}

export const encodeMaxEarlyData = (size: number): Uint8Array =>
  new Writer(4).u32(size).finish().slice();

export const decodeMaxEarlyData = (data: Uint8Array): number =>
  parseExtensionData(data, 'early_data', (r) => r.u32('max_early_data_size'));

export const decodeRecordSizeLimit = (data: Uint8Array): number =>
  parseExtensionData(data, 'record_size_limit', (r) => r.u16('RecordSizeLimit'));
