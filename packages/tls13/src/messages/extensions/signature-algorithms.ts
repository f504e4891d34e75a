/** RFC 8446 §4.2.3 signature_algorithms and signature_algorithms_cert: SignatureScheme lists. */
import { tlsError } from '../../alerts.js';
import { encodeU16List, readU16List } from './supported-groups.js';
import { parseExtensionData } from './types.js';

export const encodeSignatureAlgorithms = (schemes: readonly number[]): Uint8Array =>
  encodeU16List(schemes);

export function decodeSignatureAlgorithms(data: Uint8Array): number[] {
  const list = parseExtensionData(data, 'signature_algorithms', (r) =>
    readU16List(r, 'supported_signature_algorithms'),
  );
  if (list.length === 0) throw tlsError('decode_error', 'empty signature_algorithms');
  return list;
}
