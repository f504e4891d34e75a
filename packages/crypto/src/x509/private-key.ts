/**
 * Private key files: PKCS #8 (RFC 5208 / RFC 5958, PEM label "PRIVATE KEY"),
 * SEC 1 EC keys (RFC 5915, "EC PRIVATE KEY") and PKCS #1 RSA keys (RFC 8017
 * §A.1.2, "RSA PRIVATE KEY") to the provider's PrivateKey, and PKCS #8 out, in
 * the exact shape OpenSSL writes, so `--key F` files interoperate with OpenSSL,
 * Go and browsers. Encrypted keys, multi-prime RSA and RSASSA-PSS-only keys
 * (id-RSASSA-PSS) are refused with CryptoError('unsupported').
 */
import { CryptoError } from '../errors.js';
import type { CryptoProvider, PrivateKey, PublicKey, SignatureAlgorithm } from '../provider.js';
import {
  encodeAlgorithmIdentifier,
  isAbsentOrNull,
  readAlgorithmIdentifier,
} from './algorithm-identifier.js';
import {
  badEncoding,
  bitStringOctets,
  contents,
  contextConstructed,
  contextPrimitive,
  decoding,
  encodeBitString,
  encodeOctetString,
  encodeOid,
  encodeSequence,
  encodeSmallInteger,
  encodeTlv,
  parseTlv,
  smallInteger,
  TAG,
  type Tlv,
} from './der.js';
import { OID } from './oids.js';
import { derToPem, readPemBlocks } from './pem.js';
import { encodeRsaPrivateKey, readRsaPrivateKey } from './rsa-private-key.js';
import { CURVE_FIELD_BYTES, CURVE_OID, ecPoint, type NamedCurve, namedCurve } from './spki.js';

/** A decoded key file: the private key, and the public key when the file carries it. */
export interface PrivateKeyInfo {
  readonly privateKey: PrivateKey;
  readonly publicKey: PublicKey | undefined;
}

// Group orders (SEC 2 §2.4.2, §2.5.1): a valid scalar is 1 <= d < n.
const ORDER: Readonly<Record<NamedCurve, bigint>> = {
  'P-256': 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  'P-384':
    0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
};

function scalarFor(curve: NamedCurve, octets: Uint8Array, what: string): Uint8Array {
  const size = CURVE_FIELD_BYTES[curve];
  // RFC 5915 §3: the octet string is ceiling(log2(n)/8) long; old encoders dropped
  // leading zero octets, so shorter values are padded back, never truncated.
  if (octets.length > size)
    throw badEncoding(`${what}: ${curve} private key longer than ${size} bytes`);
  const scalar = new Uint8Array(size);
  scalar.set(octets, size - octets.length);
  let d = 0n;
  for (const b of scalar) d = (d << 8n) | BigInt(b);
  if (d === 0n || d >= ORDER[curve])
    throw badEncoding(`${what}: ${curve} private key out of range`);
  return scalar;
}

/** ECPrivateKey (RFC 5915 §3); `outerCurve` is the PKCS #8 algorithm's curve, if any. */
function readEcPrivateKey(der: Uint8Array, outerCurve: NamedCurve | undefined): PrivateKeyInfo {
  const what = 'ECPrivateKey';
  const r = contents(parseTlv(der, TAG.SEQUENCE, what), what);
  if (smallInteger(r.next(TAG.INTEGER, 'version'), `${what} version`) !== 1) {
    throw badEncoding(`${what}: version must be 1`);
  }
  const octets = r.next(TAG.OCTET_STRING, 'privateKey').value;
  const paramsField = r.optional(contextConstructed(0), 'parameters');
  const publicField = r.optional(contextConstructed(1), 'publicKey');
  r.end();
  let curve = outerCurve;
  if (paramsField) {
    const p = contents(paramsField, what);
    const inner = namedCurve(p.next(), what);
    p.end();
    if (curve !== undefined && inner !== curve)
      throw badEncoding(`${what}: curve differs from PKCS #8`);
    curve = inner;
  }
  // RFC 5915 §3: outside PKCS #8 the parameters are required.
  if (curve === undefined) throw badEncoding(`${what}: no curve named`);
  let publicKey: PublicKey | undefined;
  if (publicField) {
    const p = contents(publicField, what);
    const point = bitStringOctets(p.next(TAG.BIT_STRING), `${what} publicKey`);
    p.end();
    publicKey = { kind: 'ec', curve, point: ecPoint(curve, point, what).slice() };
  }
  return { privateKey: { kind: 'ec', curve, scalar: scalarFor(curve, octets, what) }, publicKey };
}

function readPkcs8(der: Uint8Array): PrivateKeyInfo {
  const what = 'PKCS #8 PrivateKeyInfo';
  const r = contents(parseTlv(der, TAG.SEQUENCE, what), what);
  // RFC 5958 §2: v1(0) is RFC 5208; v2(1) may add the public key.
  const version = smallInteger(r.next(TAG.INTEGER, 'version'), `${what} version`);
  if (version > 1) throw badEncoding(`${what}: unknown version ${version}`);
  const alg = readAlgorithmIdentifier(r.next(TAG.SEQUENCE, 'privateKeyAlgorithm'), what);
  const privateKey = r.next(TAG.OCTET_STRING, 'privateKey').value;
  r.optional(contextConstructed(0), 'attributes');
  const publicField: Tlv | undefined = r.optional(contextPrimitive(1), 'publicKey');
  r.end();
  if (publicField && version !== 1) throw badEncoding(`${what}: publicKey needs version 2`);
  switch (alg.oid) {
    case OID.ecPublicKey:
      return readEcPrivateKey(privateKey, namedCurve(alg.params, what));
    case OID.Ed25519: {
      // RFC 8410 §3 / §7: absent parameters, CurvePrivateKey ::= OCTET STRING (32 bytes).
      if (alg.params !== undefined) throw badEncoding(`${what}: Ed25519 parameters must be absent`);
      const seed = parseTlv(privateKey, TAG.OCTET_STRING, 'CurvePrivateKey').value;
      if (seed.length !== 32) throw badEncoding(`${what}: Ed25519 private key must be 32 bytes`);
      let publicKey: PublicKey | undefined;
      if (publicField) {
        const key = publicField.value.subarray(1);
        if (publicField.value[0] !== 0 || key.length !== 32) {
          throw badEncoding(`${what}: Ed25519 public key must be 32 bytes`);
        }
        publicKey = { kind: 'ed25519', key: key.slice() };
      }
      return { privateKey: { kind: 'ed25519', seed: seed.slice() }, publicKey };
    }
    case OID.rsaEncryption:
      // RFC 8017 §C / RFC 3279 §2.3.1: NULL parameters (tolerated absent, as OpenSSL does).
      if (!isAbsentOrNull(alg.params))
        throw badEncoding(`${what}: rsaEncryption parameters must be NULL`);
      return readRsaPrivateKey(privateKey);
    case OID.RSASSA_PSS:
      // RFC 4055 §1.2: such a key is restricted to PSS (and maybe one hash); we do not
      // track restrictions, so signing PKCS #1 v1.5 with it would break the contract.
      throw new CryptoError('unsupported', `${what}: RSASSA-PSS-restricted RSA keys`);
    default:
      throw new CryptoError('unsupported', `${what}: unsupported key algorithm ${alg.oid}`);
  }
}

/** A DER PKCS #8 PrivateKeyInfo / OneAsymmetricKey. */
export function parsePkcs8PrivateKey(der: Uint8Array): PrivateKeyInfo {
  return decoding('PKCS #8 private key', () => readPkcs8(der));
}

/** A DER PKCS #1 RSAPrivateKey (OpenSSL's "RSA PRIVATE KEY"). */
export function parsePkcs1PrivateKey(der: Uint8Array): PrivateKeyInfo {
  return decoding('PKCS #1 private key', () => readRsaPrivateKey(der));
}

/** A DER SEC 1 ECPrivateKey (OpenSSL's "EC PRIVATE KEY"). */
export function parseSec1PrivateKey(der: Uint8Array): PrivateKeyInfo {
  return decoding('SEC 1 private key', () => readEcPrivateKey(der, undefined));
}

/**
 * The first private key in a PEM text: "PRIVATE KEY" (PKCS #8), "EC PRIVATE KEY"
 * (SEC 1) or "RSA PRIVATE KEY" (PKCS #1). Other blocks (certificates in a
 * combined file) are skipped.
 */
export function parsePrivateKeyPem(text: string): PrivateKeyInfo {
  for (const block of readPemBlocks(text)) {
    if (block.label === 'PRIVATE KEY') return parsePkcs8PrivateKey(block.der);
    if (block.label === 'EC PRIVATE KEY') return parseSec1PrivateKey(block.der);
    if (block.label === 'RSA PRIVATE KEY') return parsePkcs1PrivateKey(block.der);
    if (block.label === 'ENCRYPTED PRIVATE KEY') {
      throw new CryptoError('unsupported', `PEM: "${block.label}" keys are not supported`);
    }
  }
  throw badEncoding('PEM: no "PRIVATE KEY", "EC PRIVATE KEY" or "RSA PRIVATE KEY" block');
}

/**
 * PKCS #8 v1 DER for a key. EC keys carry the public point inside
 * ECPrivateKey when given (OpenSSL does the same, and needs it to avoid
 * recomputing the point); Ed25519 is the RFC 8410 §7 form; RSA is
 * rsaEncryption with NULL parameters around RSAPrivateKey (RFC 8017 §A.1.2),
 * as `openssl genpkey` writes it (the RSA public key is inside, so `publicKey` is ignored).
 */
export function encodePkcs8PrivateKey(key: PrivateKey, publicKey?: PublicKey): Uint8Array {
  const version = encodeSmallInteger(0);
  if (key.kind === 'rsa') {
    return encodeSequence(
      version,
      encodeAlgorithmIdentifier(OID.rsaEncryption, 'null'),
      encodeOctetString(encodeRsaPrivateKey(key)),
    );
  }
  if (key.kind === 'ed25519') {
    if (key.seed.length !== 32)
      throw new CryptoError('invalid_key', 'Ed25519 seed must be 32 bytes');
    return encodeSequence(
      version,
      encodeAlgorithmIdentifier(OID.Ed25519),
      encodeOctetString(encodeOctetString(key.seed)),
    );
  }
  if (key.scalar.length !== CURVE_FIELD_BYTES[key.curve]) {
    throw new CryptoError(
      'invalid_key',
      `${key.curve} scalar must be ${CURVE_FIELD_BYTES[key.curve]} bytes`,
    );
  }
  const parts = [encodeSmallInteger(1), encodeOctetString(key.scalar)];
  if (publicKey !== undefined) {
    if (publicKey.kind !== 'ec' || publicKey.curve !== key.curve) {
      throw new CryptoError('invalid_key', 'public key does not belong to this EC private key');
    }
    parts.push(encodeTlv(contextConstructed(1), encodeBitString(publicKey.point)));
  }
  return encodeSequence(
    version,
    encodeAlgorithmIdentifier(OID.ecPublicKey, encodeOid(CURVE_OID[key.curve])),
    encodeOctetString(encodeSequence(...parts)),
  );
}

/** "-----BEGIN PRIVATE KEY-----" text for a key (readable by `openssl pkey`). */
export function privateKeyToPem(key: PrivateKey, publicKey?: PublicKey): string {
  return derToPem(encodePkcs8PrivateKey(key, publicKey), 'PRIVATE KEY');
}

function signatureAlgorithmFor(key: PrivateKey): SignatureAlgorithm {
  if (key.kind === 'ed25519') return { name: 'ed25519' };
  if (key.kind === 'rsa') return { name: 'rsa-pss', hash: 'SHA-256', saltLength: 32 };
  return { name: 'ecdsa', hash: key.curve === 'P-384' ? 'SHA-384' : 'SHA-256' };
}

/**
 * Whether a private key and a public key (a certificate's) form a pair: signs
 * a fixed message and verifies it, since the provider has no private-to-public
 * derivation. Apps call it on `--cert F --key F` so a mismatch fails at start-up
 * rather than in the first handshake.
 */
export function privateKeyMatches(
  provider: CryptoProvider,
  privateKey: PrivateKey,
  publicKey: PublicKey,
): boolean {
  const algorithm = signatureAlgorithmFor(privateKey);
  const message = new TextEncoder().encode('x509 key-pair check');
  try {
    return provider.verify(
      algorithm,
      publicKey,
      message,
      provider.sign(algorithm, privateKey, message),
    );
  } catch (e) {
    if (e instanceof CryptoError) return false;
    throw e;
  }
}
