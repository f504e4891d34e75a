/**
 * X25519MLKEM768 (code point 0x11EC, draft-ietf-tls-ecdhe-mlkem §3): a hybrid
 * of ML-KEM-768 (FIPS 203) and X25519, ML-KEM first in every field:
 *   client share  = ML-KEM-768 encapsulation key (1184) || X25519 public (32)  = 1216 bytes
 *   server share  = ML-KEM-768 ciphertext (1088)        || X25519 public (32)  = 1120 bytes
 *   shared secret = ML-KEM shared secret (32)            || X25519 secret (32)
 */

import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import type { CryptoProvider } from '@x/crypto';
import { concatBytes } from '@x/wire';
import { tlsError } from '../alerts.js';
import type { ClientKeyExchange, KeyExchangeGroup } from './named-group.js';

const EK = 1184;
const CT = 1088;
const X = 32;

function x25519Share(share: Uint8Array): void {
  if (share.length !== X)
    throw tlsError('illegal_parameter', 'X25519 part of the hybrid share is not 32 bytes');
}

export const x25519MlKem768: KeyExchangeGroup = {
  id: 0x11ec,
  name: 'X25519MLKEM768',
  start(provider: CryptoProvider): ClientKeyExchange {
    const kem = ml_kem768.keygen(provider.randomBytes(64));
    const ecdh = provider.generateKeyPair('x25519');
    return {
      group: 0x11ec,
      publicKey: concatBytes(kem.publicKey, ecdh.publicKey),
      complete(serverShare) {
        if (serverShare.length !== CT + X) {
          throw tlsError(
            'illegal_parameter',
            `X25519MLKEM768 server share of ${serverShare.length} bytes, expected ${CT + X}`,
          );
        }
        const peer = serverShare.subarray(CT);
        x25519Share(peer);
        const ss = ml_kem768.decapsulate(serverShare.subarray(0, CT), kem.secretKey);
        return concatBytes(ss, provider.deriveSharedSecret('x25519', ecdh.privateKey, peer));
      },
    };
  },
  respond(provider, clientShare) {
    if (clientShare.length !== EK + X) {
      throw tlsError(
        'illegal_parameter',
        `X25519MLKEM768 client share of ${clientShare.length} bytes, expected ${EK + X}`,
      );
    }
    let enc: { cipherText: Uint8Array; sharedSecret: Uint8Array };
    try {
      // FIPS 203 §7.2: the encapsulation key's modulus check; noble throws on failure.
      enc = ml_kem768.encapsulate(clientShare.subarray(0, EK), provider.randomBytes(32));
    } catch {
      throw tlsError('illegal_parameter', 'X25519MLKEM768 encapsulation key is invalid');
    }
    const ecdh = provider.generateKeyPair('x25519');
    const x = provider.deriveSharedSecret('x25519', ecdh.privateKey, clientShare.subarray(EK));
    return {
      share: concatBytes(enc.cipherText, ecdh.publicKey),
      sharedSecret: concatBytes(enc.sharedSecret, x),
    };
  },
};
