import { type CryptoProvider, type HashAlgorithm, tls12Prf } from '@x/crypto';
import { concatBytes } from '@x/wire';
import { DtlsError } from './errors.js';

/** The one-method seam SRTP (and anyone else) gets from a finished handshake (RFC 5705). */
export interface KeyingMaterialExporter {
  exportKeyingMaterial(label: string, context: Uint8Array | undefined, length: number): Uint8Array;
}

/** RFC 5705 §4: labels the exporter must refuse because the handshake itself uses them. */
const RESERVED = new Set([
  'client finished',
  'server finished',
  'master secret',
  'extended master secret',
  'key expansion',
]);

/**
 * RFC 5705 §4: PRF(master_secret, label, client_random + server_random
 * [+ context_value_length + context_value])[length]. A missing context and
 * an empty one differ (the length prefix is present only with a context).
 */
export function exportKeyingMaterial(
  provider: CryptoProvider,
  hash: HashAlgorithm,
  masterSecret: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  label: string,
  context: Uint8Array | undefined,
  length: number,
): Uint8Array {
  if (RESERVED.has(label)) throw new DtlsError(80, `exporter label "${label}" is reserved`);
  if (!Number.isInteger(length) || length < 0 || length > 0xffff * 32) {
    throw new DtlsError(80, `exporter length ${length} out of range`);
  }
  let seed = concatBytes(clientRandom, serverRandom);
  if (context !== undefined) {
    if (context.length > 0xffff) throw new DtlsError(80, 'exporter context longer than 2^16-1');
    seed = concatBytes(seed, Uint8Array.of(context.length >>> 8, context.length & 0xff), context);
  }
  return tls12Prf(provider, hash, masterSecret, label, seed, length);
}
