import { CryptoError, type EcdheGroup } from '@x/crypto';
import { AlertDescription, DtlsError } from '../errors.js';

/**
 * Our ECDHE share and the pre-master secret. RFC 8422 §5.1.2/§5.4: points
 * are uncompressed (first byte 4) for P-256/P-384; a compressed or otherwise
 * malformed share is refused with illegal_parameter before the provider sees it.
 */
export function checkPeerShare(group: EcdheGroup, share: Uint8Array): void {
  const expected = group === 'x25519' ? 32 : group === 'P-256' ? 65 : 97;
  if (share.length !== expected || (group !== 'x25519' && share[0] !== 4)) {
    throw new DtlsError(
      AlertDescription.illegal_parameter,
      `${group} share must be ${expected} bytes${group === 'x25519' ? '' : ', uncompressed'}`,
    );
  }
}

export function preMasterSecret(
  provider: { deriveSharedSecret(g: EcdheGroup, k: Uint8Array, p: Uint8Array): Uint8Array },
  group: EcdheGroup,
  privateKey: Uint8Array,
  peerShare: Uint8Array,
): Uint8Array {
  checkPeerShare(group, peerShare);
  try {
    return provider.deriveSharedSecret(group, privateKey, peerShare);
  } catch (e) {
    if (e instanceof CryptoError)
      throw new DtlsError(AlertDescription.illegal_parameter, `bad ECDHE share: ${e.message}`);
    throw e;
  }
}
