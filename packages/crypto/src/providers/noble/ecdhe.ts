import { x25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { CryptoError } from '../../errors.js';
import type { EcdheGroup, KeyPair } from '../../provider.js';
import { guard, requireLength } from './bytes.js';

/** The NIST groups with their scalar and uncompressed-point sizes (SEC 1 §2.3.3). */
export const NIST_CURVES = {
  'P-256': { curve: p256, scalarLength: 32, pointLength: 65 },
  'P-384': { curve: p384, scalarLength: 48, pointLength: 97 },
} as const;

export type NistCurveName = keyof typeof NIST_CURVES;

export function nistCurve(name: NistCurveName) {
  const c = Object.hasOwn(NIST_CURVES, name) ? NIST_CURVES[name] : undefined;
  if (c === undefined) throw new CryptoError('unsupported', `unknown curve ${String(name)}`);
  return c;
}

/**
 * Checks a peer's key-share point before any arithmetic: TLS 1.3 (RFC 8446
 * §4.2.8.2) and DTLS 1.2 with RFC 8422 §5.1.2 allow only the uncompressed form
 * 0x04 || X || Y, which also excludes the identity's one-byte encoding.
 * noble accepts compressed points, so this policy lives here.
 */
export function requireUncompressedPoint(name: NistCurveName, point: Uint8Array): void {
  const { pointLength } = nistCurve(name);
  if (!(point instanceof Uint8Array) || point.length !== pointLength || point[0] !== 0x04) {
    throw new CryptoError(
      'invalid_public_key',
      `${name}: expected an uncompressed ${pointLength}-byte point`,
    );
  }
}

export function generateKeyPair(group: EcdheGroup): KeyPair {
  if (group === 'x25519') {
    const { secretKey, publicKey } = x25519.keygen();
    return { privateKey: secretKey, publicKey };
  }
  const { curve } = nistCurve(group);
  const privateKey = curve.utils.randomSecretKey();
  return { privateKey, publicKey: curve.getPublicKey(privateKey, false) };
}

function x25519Shared(privateKey: Uint8Array, peer: Uint8Array): Uint8Array {
  requireLength(privateKey, [32], 'invalid_key', 'X25519 private key');
  requireLength(peer, [32], 'invalid_public_key', 'X25519 public key');
  // With both lengths right, noble fails only on a low-order u (it refuses those
  // before the ladder rather than after, to avoid a timing oracle).
  const shared = guard('low_order_point', 'X25519', () => x25519.scalarMult(privateKey, peer));
  // RFC 7748 §6.1 / RFC 8446 §7.4.2: abort on the all-zero output; checked
  // again here so the guarantee does not rest on noble's blocklist alone.
  let acc = 0;
  for (const b of shared) acc |= b;
  if (acc === 0) throw new CryptoError('low_order_point', 'X25519: all-zero shared secret');
  return shared;
}

/**
 * ECDHE shared secret: the X25519 output (RFC 7748 §6.1) or the x-coordinate
 * of the shared point (RFC 8446 §7.4.2, SEC 1 §3.3.1), fixed length.
 */
export function deriveSharedSecret(
  group: EcdheGroup,
  privateKey: Uint8Array,
  peerPublicKey: Uint8Array,
): Uint8Array {
  if (group === 'x25519') return x25519Shared(privateKey, peerPublicKey);
  const { curve, scalarLength } = nistCurve(group);
  requireLength(privateKey, [scalarLength], 'invalid_key', `${group} private key`);
  if (!curve.utils.isValidSecretKey(privateKey)) {
    throw new CryptoError('invalid_key', `${group}: private scalar out of range`);
  }
  requireUncompressedPoint(group, peerPublicKey);
  // noble's point decoder checks the curve equation (the invalid-curve attack)
  // and getSharedSecret refuses the identity; any failure now is the peer's key.
  const shared = guard('invalid_public_key', `${group} public key`, () =>
    curve.getSharedSecret(privateKey, peerPublicKey, true),
  );
  return shared.slice(1, 1 + scalarLength);
}
