import { type CryptoProvider, type HashAlgorithm, type Tls12Suite, tls12Prf } from '@x/crypto';
import { concatBytes } from '@x/wire';
import { VERIFY_DATA_LENGTH } from './handshake/messages/finished.js';

export const MASTER_SECRET_LENGTH = 48;

/**
 * RFC 5246 §8.1 master_secret, or with RFC 7627 §4 the extended master
 * secret over session_hash = Hash(handshake_messages up to and including
 * ClientKeyExchange).
 */
export function deriveMasterSecret(
  provider: CryptoProvider,
  hash: HashAlgorithm,
  preMasterSecret: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  sessionHash: Uint8Array | undefined,
): Uint8Array {
  if (sessionHash !== undefined) {
    return tls12Prf(
      provider,
      hash,
      preMasterSecret,
      'extended master secret',
      sessionHash,
      MASTER_SECRET_LENGTH,
    );
  }
  return tls12Prf(
    provider,
    hash,
    preMasterSecret,
    'master secret',
    concatBytes(clientRandom, serverRandom),
    MASTER_SECRET_LENGTH,
  );
}

/** RFC 5246 §6.3 key block, cut for an AEAD suite (no MAC keys). */
export interface TrafficKeys {
  readonly clientWriteKey: Uint8Array;
  readonly serverWriteKey: Uint8Array;
  readonly clientWriteIv: Uint8Array;
  readonly serverWriteIv: Uint8Array;
}

export function deriveTrafficKeys(
  provider: CryptoProvider,
  suite: Tls12Suite,
  masterSecret: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): TrafficKeys {
  const keyLength = suite.aead.keyLength;
  const ivLength = suite.fixedIvLength;
  const block = tls12Prf(
    provider,
    suite.hash,
    masterSecret,
    'key expansion',
    concatBytes(serverRandom, clientRandom),
    2 * keyLength + 2 * ivLength,
  );
  let o = 0;
  const take = (n: number): Uint8Array => {
    const part = block.subarray(o, o + n);
    o += n;
    return part;
  };
  return {
    clientWriteKey: take(keyLength),
    serverWriteKey: take(keyLength),
    clientWriteIv: take(ivLength),
    serverWriteIv: take(ivLength),
  };
}

/** RFC 5246 §7.4.9: PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]. */
export function computeVerifyData(
  provider: CryptoProvider,
  hash: HashAlgorithm,
  masterSecret: Uint8Array,
  label: 'client finished' | 'server finished',
  handshakeHash: Uint8Array,
): Uint8Array {
  return tls12Prf(provider, hash, masterSecret, label, handshakeHash, VERIFY_DATA_LENGTH);
}
