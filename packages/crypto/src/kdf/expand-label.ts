import { EncodeError } from '@x/wire';
import type { CryptoProvider, HashAlgorithm } from '../provider.js';
import { hkdfExpandInPlace } from './hkdf.js';

const encoder = new TextEncoder();

/**
 * Encoded "tls13 " + label strings: a handshake expands the same dozen labels
 * (key, iv, "quic hp", "c hs traffic", ...) over and over. Bounded, because an
 * exporter label comes from the application.
 */
const labelCache = new Map<string, Uint8Array>();
const LABEL_CACHE_MAX = 64;

function encodeLabel(full: string): Uint8Array {
  let bytes = labelCache.get(full);
  if (bytes === undefined) {
    bytes = encoder.encode(full);
    if (labelCache.size < LABEL_CACHE_MAX) labelCache.set(full, bytes);
  }
  return bytes;
}

/**
 * RFC 8446 §7.1 HKDF-Expand-Label. The label prefix is "tls13 " for TLS and
 * QUIC v1 (RFC 9001 §5.1 labels such as "quic key" still get "tls13 "); DTLS 1.3
 * uses "dtls13". The HkdfLabel structure is
 *   uint16 length; opaque label<7..255> = prefix + label; opaque context<0..255>.
 */
export function hkdfExpandLabel(
  p: CryptoProvider,
  hash: HashAlgorithm,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
  prefix = 'tls13 ',
): Uint8Array {
  const fullLabel = encodeLabel(prefix + label);
  if (fullLabel.length > 255 || context.length > 255 || length > 0xffff) {
    throw new EncodeError(
      `HkdfLabel out of range (label ${fullLabel.length}, context ${context.length})`,
    );
  }
  // The HkdfLabel, plus a spare byte HKDF-Expand writes its block counter into.
  const info = new Uint8Array(2 + 1 + fullLabel.length + 1 + context.length + 1);
  info[0] = length >>> 8;
  info[1] = length & 0xff;
  info[2] = fullLabel.length;
  info.set(fullLabel, 3);
  info[3 + fullLabel.length] = context.length;
  info.set(context, 4 + fullLabel.length);
  return hkdfExpandInPlace(p, hash, secret, info, length);
}

/** RFC 8446 §7.1 Derive-Secret(Secret, Label, Messages), given Transcript-Hash(Messages). */
export function deriveSecret(
  p: CryptoProvider,
  hash: HashAlgorithm,
  secret: Uint8Array,
  label: string,
  transcriptHash: Uint8Array,
): Uint8Array {
  return hkdfExpandLabel(p, hash, secret, label, transcriptHash, transcriptHash.length);
}
