/**
 * Certificate signature algorithms (RFC 5280 §4.1.1.2) mapped to the provider's
 * SignatureAlgorithm: ECDSA (RFC 5758 §3.2), PKCS #1 v1.5 and RSASSA-PSS
 * (RFC 4055 §3, RFC 8017), Ed25519 (RFC 8410 §3). SHA-1 variants are mapped
 * so old trust anchors still parse; chain validation refuses to rely on them.
 */
import { CryptoError } from '../errors.js';
import type { HashAlgorithm, SignatureAlgorithm } from '../provider.js';
import {
  type AlgorithmIdentifier,
  encodeAlgorithmIdentifier,
  isAbsentOrNull,
  readAlgorithmIdentifier,
} from './algorithm-identifier.js';
import { badEncoding, contents, contextConstructed, smallInteger, TAG, type Tlv } from './der.js';
import { OID } from './oids.js';

const ECDSA: Readonly<Record<string, HashAlgorithm>> = {
  [OID.ecdsaWithSHA1]: 'SHA-1',
  [OID.ecdsaWithSHA256]: 'SHA-256',
  [OID.ecdsaWithSHA384]: 'SHA-384',
  [OID.ecdsaWithSHA512]: 'SHA-512',
};
const RSA_PKCS1: Readonly<Record<string, HashAlgorithm>> = {
  [OID.sha1WithRSAEncryption]: 'SHA-1',
  [OID.sha256WithRSAEncryption]: 'SHA-256',
  [OID.sha384WithRSAEncryption]: 'SHA-384',
  [OID.sha512WithRSAEncryption]: 'SHA-512',
};
const HASH_BY_OID: Readonly<Record<string, HashAlgorithm>> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};
const ECDSA_OID: Readonly<Record<HashAlgorithm, string>> = {
  'SHA-1': OID.ecdsaWithSHA1,
  'SHA-256': OID.ecdsaWithSHA256,
  'SHA-384': OID.ecdsaWithSHA384,
  'SHA-512': OID.ecdsaWithSHA512,
};

function hashAlgorithm(tlv: Tlv, what: string): HashAlgorithm {
  const alg = readAlgorithmIdentifier(tlv, what);
  const hash = HASH_BY_OID[alg.oid];
  if (hash === undefined)
    throw new CryptoError('unsupported', `${what}: unsupported hash ${alg.oid}`);
  // RFC 4055 §2.1: NULL or absent parameters are both accepted.
  if (!isAbsentOrNull(alg.params)) throw badEncoding(`${what}: hash parameters must be NULL`);
  return hash;
}

/**
 * RSASSA-PSS-params (RFC 4055 §3.1). Every field has a DEFAULT (SHA-1, MGF1
 * with SHA-1, salt 20, trailer 1). The provider only does MGF1 over the
 * signature hash, which is what every real PSS certificate uses.
 */
function pssParameters(params: Tlv | undefined, what: string): SignatureAlgorithm {
  // §3.1: in a signatureAlgorithm the parameters MUST be present.
  if (params === undefined || params.tag !== TAG.SEQUENCE) {
    throw badEncoding(`${what}: RSASSA-PSS needs RSASSA-PSS-params`);
  }
  const r = contents(params, `${what} RSASSA-PSS-params`);
  let hash: HashAlgorithm = 'SHA-1';
  let mgfHash: HashAlgorithm = 'SHA-1';
  let saltLength = 20;
  const hashField = r.optional(contextConstructed(0), 'hashAlgorithm');
  if (hashField) {
    const inner = contents(hashField, what);
    hash = hashAlgorithm(inner.next(TAG.SEQUENCE, 'hashAlgorithm'), what);
    inner.end();
  }
  const mgfField = r.optional(contextConstructed(1), 'maskGenAlgorithm');
  if (mgfField) {
    const inner = contents(mgfField, what);
    const mgf: AlgorithmIdentifier = readAlgorithmIdentifier(inner.next(TAG.SEQUENCE), what);
    inner.end();
    if (mgf.oid !== OID.mgf1 || mgf.params === undefined) {
      throw new CryptoError('unsupported', `${what}: mask generation ${mgf.oid} is not MGF1`);
    }
    mgfHash = hashAlgorithm(mgf.params, what);
  }
  const saltField = r.optional(contextConstructed(2), 'saltLength');
  if (saltField) {
    const inner = contents(saltField, what);
    saltLength = smallInteger(inner.next(TAG.INTEGER), `${what} saltLength`, 1024);
    inner.end();
  }
  const trailerField = r.optional(contextConstructed(3), 'trailerField');
  if (trailerField) {
    const inner = contents(trailerField, what);
    // §3.1: trailerField MUST be 1 (the 0xBC trailer).
    if (smallInteger(inner.next(TAG.INTEGER), `${what} trailerField`) !== 1) {
      throw badEncoding(`${what}: RSASSA-PSS trailerField must be 1`);
    }
    inner.end();
  }
  r.end();
  if (mgfHash !== hash) {
    throw new CryptoError(
      'unsupported',
      `${what}: MGF1 with ${mgfHash} under ${hash} is not supported`,
    );
  }
  return { name: 'rsa-pss', hash, saltLength };
}

/** Maps a signature AlgorithmIdentifier TLV; CryptoError('unsupported') for anything else. */
export function readSignatureAlgorithm(tlv: Tlv, what = 'signatureAlgorithm'): SignatureAlgorithm {
  const alg = readAlgorithmIdentifier(tlv, what);
  const ecdsaHash = ECDSA[alg.oid];
  if (ecdsaHash !== undefined) {
    // RFC 5758 §3.2 says absent; a NULL is tolerated as other verifiers do.
    if (!isAbsentOrNull(alg.params)) throw badEncoding(`${what}: ECDSA parameters must be absent`);
    return { name: 'ecdsa', hash: ecdsaHash };
  }
  const pkcs1Hash = RSA_PKCS1[alg.oid];
  if (pkcs1Hash !== undefined) {
    if (!isAbsentOrNull(alg.params)) throw badEncoding(`${what}: RSA parameters must be NULL`);
    return { name: 'rsa-pkcs1', hash: pkcs1Hash };
  }
  if (alg.oid === OID.Ed25519) {
    // RFC 8410 §3: the parameters MUST be absent.
    if (alg.params !== undefined) throw badEncoding(`${what}: Ed25519 parameters must be absent`);
    return { name: 'ed25519' };
  }
  if (alg.oid === OID.RSASSA_PSS) return pssParameters(alg.params, what);
  throw new CryptoError('unsupported', `${what}: unsupported signature algorithm ${alg.oid}`);
}

/** The AlgorithmIdentifier we write when signing (ECDSA, Ed25519, PKCS #1 v1.5 RSA). */
export function encodeSignatureAlgorithm(alg: SignatureAlgorithm): Uint8Array {
  if (alg.name === 'ecdsa') return encodeAlgorithmIdentifier(ECDSA_OID[alg.hash]);
  if (alg.name === 'ed25519') return encodeAlgorithmIdentifier(OID.Ed25519);
  if (alg.name === 'rsa-pkcs1') {
    // RFC 4055 §5: the parameters of the PKCS #1 v1.5 OIDs are NULL.
    const oid = Object.entries(RSA_PKCS1).find(([, hash]) => hash === alg.hash)?.[0];
    if (oid !== undefined) return encodeAlgorithmIdentifier(oid, 'null');
  }
  throw new CryptoError('unsupported', `cannot sign certificates with ${alg.name}`);
}
