/**
 * RSAPrivateKey (RFC 8017 §A.1.2), the body of OpenSSL's "RSA PRIVATE KEY"
 * PEM and of a PKCS #8 rsaEncryption key, to and from the provider's key.
 */
import { CryptoError } from '../errors.js';
import type { PublicKey, RsaPrivateKey } from '../provider.js';
import {
  badEncoding,
  contents,
  encodeSequence,
  encodeSmallInteger,
  encodeUnsignedInteger,
  parseTlv,
  smallInteger,
  TAG,
  unsignedInteger,
} from './der.js';

/** The integers after the version, in order, named as in RFC 8017 §A.1.2. */
const FIELDS = [
  'modulus',
  'publicExponent',
  'privateExponent',
  'prime1',
  'prime2',
  'exponent1',
  'exponent2',
  'coefficient',
] as const;

export function readRsaPrivateKey(der: Uint8Array): {
  privateKey: RsaPrivateKey;
  publicKey: PublicKey;
} {
  const what = 'RSAPrivateKey';
  const r = contents(parseTlv(der, TAG.SEQUENCE, what), what);
  const version = smallInteger(r.next(TAG.INTEGER, 'version'), `${what} version`);
  // §A.1.2: version 1 (multi) means otherPrimeInfos follows; CRT signing here uses two primes.
  if (version === 1) throw new CryptoError('unsupported', `${what}: multi-prime keys`);
  if (version !== 0) throw badEncoding(`${what}: unknown version ${version}`);
  const values: Partial<Record<(typeof FIELDS)[number], Uint8Array>> = {};
  for (const name of FIELDS) {
    values[name] = unsignedInteger(r.next(TAG.INTEGER, name), `${what} ${name}`).slice();
  }
  r.end();
  const privateKey = { kind: 'rsa', ...values } as RsaPrivateKey;
  return {
    privateKey,
    publicKey: { kind: 'rsa', modulus: privateKey.modulus, exponent: privateKey.publicExponent },
  };
}

export function encodeRsaPrivateKey(key: RsaPrivateKey): Uint8Array {
  const integers = FIELDS.map((name) => {
    const value = key[name];
    if (!(value instanceof Uint8Array) || value.length === 0) {
      throw new CryptoError('invalid_key', `RSA private key: ${name} missing`);
    }
    return encodeUnsignedInteger(value);
  });
  return encodeSequence(encodeSmallInteger(0), ...integers);
}
