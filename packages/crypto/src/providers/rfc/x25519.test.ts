import { hex, rfcSlice, rfcText, toHex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../errors.js';
import { testProviders } from '../test-providers.js';

const rfc7748 = rfcText(7748);
const section52 = rfcSlice(rfc7748, '5.2.  Test Vectors', '6.  Diffie-Hellman');
const x25519Part = section52.slice(section52.indexOf('   X25519:'), section52.indexOf('   X448:'));
const HEX32 = '([0-9a-f]{64})';
const single = [
  ...x25519Part.matchAll(
    new RegExp(
      `Input scalar:\\s+${HEX32}[\\s\\S]*?Input u-coordinate:\\s+${HEX32}[\\s\\S]*?Output u-coordinate:\\s+${HEX32}`,
      'g',
    ),
  ),
].map((m) => ({ scalar: hex(m[1]!), u: hex(m[2]!), out: m[3]! }));
const iterated = section52.slice(section52.indexOf('For each iteration'));
const afterOne = new RegExp(`After one iteration:\\s+${HEX32}`).exec(iterated)![1]!;
const afterThousand = new RegExp(`After 1,000 iterations:\\s+${HEX32}`).exec(iterated)![1]!;
const dh = rfcSlice(rfc7748, '6.1.  Curve25519', '6.2.  Curve448');
const dhValue = (label: string) => hex(new RegExp(`${label}[^\\n]*:\\s+${HEX32}`).exec(dh)![1]!);
const basePoint = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 9 : 0));

describe.each(testProviders())('RFC 7748 X25519 with the $name provider', (p) => {
  it('reads two single-step vectors from §5.2', () => expect(single.length).toBe(2));

  it.each(single)(
    '§5.2 single step: X25519(scalar, u) is the published output',
    ({ scalar, u, out }) => {
      expect(toHex(p.deriveSharedSecret('x25519', scalar, u))).toBe(out);
    },
  );

  it('§5.2 iterated: 1 and 1,000 iterations of k, u = X25519(k, u), k', () => {
    let k: Uint8Array = basePoint.slice();
    let u: Uint8Array = basePoint.slice();
    for (let i = 1; i <= 1000; i++) {
      // Fresh arrays each round: providers may cache per private-key object.
      const next = p.deriveSharedSecret('x25519', k.slice(), u);
      u = k;
      k = next;
      if (i === 1) expect(toHex(k)).toBe(afterOne);
    }
    expect(toHex(k)).toBe(afterThousand);
  });

  it('§6.1: Alice and Bob derive the published public keys and shared secret', () => {
    const a = dhValue("Alice's private key, a");
    const b = dhValue("Bob's private key, b");
    const kA = p.deriveSharedSecret('x25519', a, basePoint);
    const kB = p.deriveSharedSecret('x25519', b, basePoint);
    expect(toHex(kA)).toBe(toHex(dhValue("Alice's public key")));
    expect(toHex(kB)).toBe(toHex(dhValue("Bob's public key")));
    const k = dhValue('Their shared secret, K');
    expect(toHex(p.deriveSharedSecret('x25519', a, kB))).toBe(toHex(k));
    expect(toHex(p.deriveSharedSecret('x25519', b, kA))).toBe(toHex(k));
  });

  it('§6.1: an all-zero shared secret (low-order point) is refused with CryptoError', () => {
    const zeroPoint = new Uint8Array(32);
    expect(() =>
      p.deriveSharedSecret('x25519', p.generateKeyPair('x25519').privateKey, zeroPoint),
    ).toThrow(CryptoError);
  });

  it('generated key pairs agree on the shared secret for every group', () => {
    for (const group of ['x25519', 'P-256', 'P-384'] as const) {
      const alice = p.generateKeyPair(group);
      const bob = p.generateKeyPair(group);
      const s1 = p.deriveSharedSecret(group, alice.privateKey, bob.publicKey);
      const s2 = p.deriveSharedSecret(group, bob.privateKey, alice.publicKey);
      expect(toHex(s1)).toBe(toHex(s2));
      expect(s1.length).toBe(group === 'P-384' ? 48 : 32);
    }
  });
});
