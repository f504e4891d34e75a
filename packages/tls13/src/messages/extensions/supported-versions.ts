/** RFC 8446 §4.2.1 supported_versions: a list in ClientHello, one version in ServerHello/HRR. */
import { Writer } from '@x/wire';
import { tlsError } from '../../alerts.js';
import { encodeU16List, readU16List } from './supported-groups.js';
import { parseExtensionData } from './types.js';

export const TLS13 = 0x0304;
export const TLS12 = 0x0303;

export function encodeClientSupportedVersions(versions: readonly number[]): Uint8Array {
  return encodeU16List(versions, 1);
}

export function decodeClientSupportedVersions(data: Uint8Array): number[] {
  const list = parseExtensionData(data, 'supported_versions', (r) => readU16List(r, 'versions', 1));
  if (list.length === 0) throw tlsError('decode_error', 'empty supported_versions');
  return list;
}

export function encodeServerSupportedVersion(version: number): Uint8Array {
  return new Writer(2).u16(version).finish().slice();
}

export function decodeServerSupportedVersion(data: Uint8Array): number {
  return parseExtensionData(data, 'supported_versions', (r) => r.u16('selected_version'));
}
