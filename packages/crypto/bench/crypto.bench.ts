/**
 * @x/crypto against plain node:crypto, in one run: `pnpm bench` (add `--quick`
 * for a smoke run, `--json FILE` to keep the numbers). "theirs" is always the
 * code a Node user would write without this package; the ratio is ours/theirs.
 *
 * Sources are imported by relative path (not through the package index) so a
 * half-finished module elsewhere in src/ does not stop the AEAD and ECDHE cases.
 */
import {
  type CipherCCM,
  type CipherChaCha20Poly1305,
  type CipherGCM,
  createCipheriv,
  createDecipheriv,
  createECDH,
  createPublicKey,
  type DecipherCCM,
  type DecipherChaCha20Poly1305,
  type DecipherGCM,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { BenchRun, type Side } from '@x/bench';
import type { Aead, AeadAlgorithm, CryptoProvider, EcdheGroup } from '../src/provider.js';
import { nobleProvider } from '../src/providers/noble/index.js';
import { nodeProvider } from '../src/providers/node/index.js';
import { createRecordProtector } from '../src/record/protector.js';
import { providerAead } from '../src/suites/aead-factory.js';

type BenchAead = Exclude<AeadAlgorithm, 'AES-128-CCM-8'>;

const AEADS: readonly BenchAead[] = [
  'AES-128-GCM',
  'AES-256-GCM',
  'CHACHA20-POLY1305',
  'AES-128-CCM',
];
const SIZES = [64, 1200, 16 * 1024] as const;
const GROUPS: readonly EcdheGroup[] = ['x25519', 'P-256', 'P-384'];
const PROVIDERS: readonly CryptoProvider[] = [nodeProvider, nobleProvider];
const KEY_LENGTH: Record<BenchAead, number> = {
  'AES-128-GCM': 16,
  'AES-256-GCM': 32,
  'CHACHA20-POLY1305': 32,
  'AES-128-CCM': 16,
};
const THEIRS = 'node:crypto';
const AAD = randomBytes(13);

const run = new BenchRun('@x/crypto vs plain node:crypto');

function equal(a: Uint8Array | null, b: Uint8Array | null): boolean {
  return a !== null && b !== null && Buffer.compare(a, b) === 0;
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** A 12-byte nonce whose last four bytes count up on each call (one buffer, rewritten). */
function counterNonce(): () => Buffer {
  const nonce = randomBytes(12);
  let n = 0;
  return () => {
    nonce.writeUInt32BE(n, 8);
    n = (n + 1) >>> 0;
    return nonce;
  };
}

// ---- the plain node:crypto way: one cipher per message, key as a Buffer ----

type RawSeal = (key: Buffer, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array) => Buffer;
/** Takes ciphertext || tag as it arrives on the wire, like the providers do, and splits it. */
type RawOpen = (key: Buffer, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array) => Buffer;
type RawOpenSplit = (
  key: Buffer,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array,
) => Buffer;

const TAG = 16;
const split =
  (open: RawOpenSplit): RawOpen =>
  (k, n, sealed, aad) =>
    open(k, n, sealed.subarray(0, sealed.length - TAG), sealed.subarray(sealed.length - TAG), aad);

const finishSeal = (c: CipherGCM | CipherCCM | CipherChaCha20Poly1305, pt: Uint8Array) =>
  Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);

function finishOpen(
  d: DecipherGCM | DecipherCCM | DecipherChaCha20Poly1305,
  ct: Uint8Array,
): Buffer {
  const head = d.update(ct);
  const tail = d.final();
  return tail.length === 0 ? head : Buffer.concat([head, tail]);
}

const RAW: Record<BenchAead, { seal: RawSeal; open: RawOpen }> = {
  'AES-128-GCM': {
    seal: (k, n, pt, aad) => finishSeal(createCipheriv('aes-128-gcm', k, n).setAAD(aad), pt),
    open: split((k, n, ct, tag, aad) =>
      finishOpen(createDecipheriv('aes-128-gcm', k, n).setAuthTag(tag).setAAD(aad), ct),
    ),
  },
  'AES-256-GCM': {
    seal: (k, n, pt, aad) => finishSeal(createCipheriv('aes-256-gcm', k, n).setAAD(aad), pt),
    open: split((k, n, ct, tag, aad) =>
      finishOpen(createDecipheriv('aes-256-gcm', k, n).setAuthTag(tag).setAAD(aad), ct),
    ),
  },
  'CHACHA20-POLY1305': {
    seal: (k, n, pt, aad) =>
      finishSeal(
        // @types/node makes the options argument required for ChaCha20-Poly1305; OpenSSL ignores it.
        createCipheriv('chacha20-poly1305', k, n, { authTagLength: 16 }).setAAD(aad, {
          plaintextLength: pt.length,
        }),
        pt,
      ),
    open: split((k, n, ct, tag, aad) =>
      finishOpen(
        createDecipheriv('chacha20-poly1305', k, n, { authTagLength: 16 })
          .setAuthTag(tag)
          .setAAD(aad, { plaintextLength: ct.length }),
        ct,
      ),
    ),
  },
  'AES-128-CCM': {
    seal: (k, n, pt, aad) =>
      finishSeal(
        createCipheriv('aes-128-ccm', k, n, { authTagLength: 16 }).setAAD(aad, {
          plaintextLength: pt.length,
        }),
        pt,
      ),
    open: split((k, n, ct, tag, aad) =>
      finishOpen(
        createDecipheriv('aes-128-ccm', k, n, { authTagLength: 16 })
          .setAuthTag(tag)
          .setAAD(aad, { plaintextLength: ct.length }),
        ct,
      ),
    ),
  },
};

// ---- AEAD seal/open ----

function aeadCases(alg: BenchAead, size: number): void {
  const key = randomBytes(KEY_LENGTH[alg]);
  const pt = randomBytes(size);
  const raw = RAW[alg];
  const openNonce = randomBytes(12);
  const sealed = raw.seal(key, openNonce, pt, AAD);
  if (!equal(raw.open(key, openNonce, sealed, AAD), pt))
    throw new Error(`${alg}: baseline open broken`);
  const theirsNonce = counterNonce();
  const theirsSeal: Side = { label: THEIRS, fn: () => raw.seal(key, theirsNonce(), pt, AAD) };
  const theirsOpen: Side = { label: THEIRS, fn: () => raw.open(key, openNonce, sealed, AAD) };

  for (const provider of PROVIDERS) {
    const seal = { name: `${alg} seal`, bytes: size, ours: { label: provider.name } };
    const open = { name: `${alg} open`, bytes: size, ours: { label: provider.name } };
    if (!run.wants(seal) && !run.wants(open)) continue;
    let aead: Aead;
    try {
      aead = provider.aead(alg, key);
      // Both directions must agree with node:crypto before anything is timed:
      // a provider that fails open fast would otherwise look fast.
      const probe = randomBytes(12);
      if (!equal(aead.seal(probe, pt, AAD), raw.seal(key, probe, pt, AAD)))
        throw new Error('seal differs from node:crypto');
      if (!equal(aead.open(openNonce, sealed, AAD), pt))
        throw new Error('open did not return the plaintext');
    } catch (e) {
      run.note(`${alg} ${size} B ${provider.name}: skipped (${errorText(e)})`);
      continue;
    }
    const nonce = counterNonce();
    run.compare({
      ...seal,
      ours: { label: provider.name, fn: () => aead.seal(nonce(), pt, AAD) },
      theirs: theirsSeal,
    });
    run.compare({
      ...open,
      ours: { label: provider.name, fn: () => aead.open(openNonce, sealed, AAD) },
      theirs: theirsOpen,
    });
  }
}

// ---- the record layer: protector (nonce rule + provider AEAD) vs the raw call ----

function recordCases(): void {
  const alg = 'AES-128-GCM';
  const size = 1200;
  const label = 'record/node';
  const seal = { name: `${alg} seal`, bytes: size, ours: { label } };
  const open = { name: `${alg} open`, bytes: size, ours: { label } };
  if (!run.wants(seal) && !run.wants(open)) return;
  const key = randomBytes(16);
  const iv = randomBytes(12);
  const pt = randomBytes(size);
  const raw = RAW[alg];
  try {
    const writer = createRecordProtector(nodeProvider, providerAead(alg), key, iv);
    const reader = createRecordProtector(nodeProvider, providerAead(alg), key, iv);
    const body = writer.seal(0, AAD, pt);
    // Record 0's nonce is the IV itself (RFC 8446 §5.3), so node:crypto must agree byte for byte.
    if (!equal(body, raw.seal(key, iv, pt, AAD)))
      throw new Error('record 0 differs from node:crypto with nonce = iv');
    if (!equal(reader.open(0, AAD, body), pt)) throw new Error('open did not return the plaintext');
    const wire = Buffer.from(body);
    let sequence = 1;
    const theirsNonce = counterNonce();
    run.compare({
      ...seal,
      ours: { label, fn: () => writer.seal(sequence++, AAD, pt) },
      theirs: { label: THEIRS, fn: () => raw.seal(key, theirsNonce(), pt, AAD) },
    });
    run.compare({
      ...open,
      ours: { label, fn: () => reader.open(0, AAD, body) },
      theirs: { label: THEIRS, fn: () => raw.open(key, iv, wire, AAD) },
    });
  } catch (e) {
    run.note(`record protector: skipped (${errorText(e)})`);
  }
}

// ---- ECDHE: key generation and shared secret from the peer's raw key share ----

const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const NODE_CURVE = { 'P-256': 'prime256v1', 'P-384': 'secp384r1' } as const;

interface RawGroup {
  /** A fresh key pair, returning the key share to send (raw X25519 key / uncompressed point). */
  keygen(): Buffer;
  /** Our fixed key share, and the secret from a peer's raw key share (imported each time). */
  readonly share: Buffer;
  derive(peer: Uint8Array): Buffer;
}

function rawGroup(group: EcdheGroup): RawGroup {
  if (group === 'x25519') {
    const rawShare = (k: KeyObject) =>
      k.export({ format: 'der', type: 'spki' }).subarray(X25519_SPKI_PREFIX.length);
    const mine = generateKeyPairSync('x25519');
    return {
      // Exported as DER, not JWK: JWK is about 2.5x faster here, but exporting a
      // generateKeyPairSync key as JWK can deadlock Node 20 (see the isolated case below).
      keygen: () => rawShare(generateKeyPairSync('x25519').publicKey),
      share: rawShare(mine.publicKey),
      // The peer's raw key imported as JWK: about 3x faster than wrapping it in a
      // DER SubjectPublicKeyInfo, which goes through OpenSSL 3's generic decoder.
      derive: (peer) =>
        diffieHellman({
          privateKey: mine.privateKey,
          publicKey: createPublicKey({
            key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(peer).toString('base64url') },
            format: 'jwk',
          }),
        }),
    };
  }
  const curve = NODE_CURVE[group];
  const mine = createECDH(curve);
  const share = mine.generateKeys();
  return {
    keygen: () => createECDH(curve).generateKeys(),
    share,
    derive: (peer) => mine.computeSecret(peer),
  };
}

function ecdheCases(group: EcdheGroup): void {
  const raw = rawGroup(group);
  const peer = rawGroup(group).share;
  for (const provider of PROVIDERS) {
    const keygen = { name: `${group} keygen`, ours: { label: provider.name } };
    const derive = { name: `${group} derive`, ours: { label: provider.name } };
    if (!run.wants(keygen) && !run.wants(derive)) continue;
    try {
      const mine = provider.generateKeyPair(group);
      // The provider's secret must match node:crypto's from the other side.
      if (
        !equal(
          provider.deriveSharedSecret(group, mine.privateKey, raw.share),
          raw.derive(mine.publicKey),
        )
      ) {
        throw new Error('shared secret differs from node:crypto');
      }
      run.compare({
        ...keygen,
        ours: { label: provider.name, fn: () => provider.generateKeyPair(group).publicKey },
        theirs: { label: THEIRS, fn: raw.keygen },
        // The node provider exports X25519 keys from generateKeyPairSync as JWK, which
        // can self-deadlock Node 20 (a GC during the export frees the key-generation
        // job, whose destructor takes the lock the export holds): run it apart.
        isolate: provider === nodeProvider && group === 'x25519',
      });
      run.compare({
        ...derive,
        ours: {
          label: provider.name,
          fn: () => provider.deriveSharedSecret(group, mine.privateKey, peer),
        },
        theirs: { label: THEIRS, fn: () => raw.derive(peer) },
      });
    } catch (e) {
      run.note(`${group} ${provider.name}: skipped (${errorText(e)})`);
    }
  }
}

for (const alg of AEADS) for (const size of SIZES) aeadCases(alg, size);
recordCases();
for (const group of GROUPS) ecdheCases(group);
run.finish();
