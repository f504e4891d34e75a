/**
 * noble's block and stream primitives against published vectors and, where
 * none are published for the edge case, node:crypto (OpenSSL) as an oracle.
 */
import { createCipheriv } from 'node:crypto';
import { hex, toHex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../errors.js';
import { __testing } from './chacha20.js';
import { nobleProvider as p } from './index.js';

const seq = (n: number, start = 0) => Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);

function openssl(cipher: string, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createCipheriv(cipher, key, iv);
  const out = new Uint8Array(c.update(data));
  c.final();
  return out;
}

function expectCode(op: () => unknown, code: string): void {
  try {
    op();
  } catch (e) {
    expect(e).toBeInstanceOf(CryptoError);
    expect((e as CryptoError).code).toBe(code);
    return;
  }
  expect.fail(`expected CryptoError('${code}')`);
}

describe('noble hashes', () => {
  it('the hasher forks on clone, and digest() does not end it (RFC 8446 §4.4.1 transcripts)', () => {
    const a = seq(100);
    const b = seq(70, 100);
    const c = seq(130, 7);
    const h = p.createHasher('SHA-384').update(a);
    const fork = h.clone();
    expect(toHex(h.digest())).toBe(toHex(p.hash('SHA-384', a)));
    h.update(b);
    fork.update(c);
    expect(toHex(h.digest())).toBe(toHex(p.hash('SHA-384', new Uint8Array([...a, ...b]))));
    expect(toHex(fork.digest())).toBe(toHex(p.hash('SHA-384', new Uint8Array([...a, ...c]))));
    expect(toHex(h.digest())).toBe(toHex(p.hash('SHA-384', new Uint8Array([...a, ...b]))));
  });

  it('SHA-256 of "abc" (FIPS 180-4 example) and HMAC (RFC 4231 test case 2)', () => {
    expect(toHex(p.hash('SHA-256', new TextEncoder().encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    const mac = p.hmac(
      'SHA-256',
      new TextEncoder().encode('Jefe'),
      new TextEncoder().encode('what do ya want for nothing?'),
    );
    expect(toHex(mac)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('an unknown hash is CryptoError("unsupported")', () => {
    expectCode(() => p.hash('MD5' as never, seq(3)), 'unsupported');
    expectCode(() => p.createHasher('SHA-3' as never), 'unsupported');
  });
});

describe('noble aesBlock', () => {
  it('FIPS-197 C.1 (AES-128) and C.3 (AES-256), also on an unaligned view', () => {
    const pt = hex('00112233445566778899aabbccddeeff');
    expect(toHex(p.aesBlock(seq(16)).encryptBlock(pt))).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
    const unaligned = new Uint8Array(17);
    unaligned.set(pt, 1);
    expect(toHex(p.aesBlock(seq(32)).encryptBlock(unaligned.subarray(1)))).toBe(
      '8ea2b7ca516745bfeafc49904b496089',
    );
    expect(toHex(unaligned.subarray(1))).toBe(toHex(pt)); // input left alone
  });

  it('rejects bad key and block lengths with CryptoError', () => {
    expectCode(() => p.aesBlock(seq(15)), 'invalid_key');
    expectCode(() => p.aesBlock(seq(24)), 'invalid_key');
    expectCode(() => p.aesBlock(seq(16)).encryptBlock(seq(15)), 'invalid_nonce');
  });
});

describe('noble aesCtr', () => {
  it('NIST SP 800-38A F.5.1 CTR-AES128.Encrypt', () => {
    const out = p.aesCtr(
      hex('2b7e151628aed2a6abf7158809cf4f3c'),
      hex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff'),
      hex(
        '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51' +
          '30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710',
      ),
    );
    expect(toHex(out)).toBe(
      '874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff' +
        '5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee',
    );
  });

  it('increments the whole 128-bit block like OpenSSL aes-*-ctr (carry past 2^64 and wrap at 2^128)', () => {
    const data = seq(16 * 3 + 5, 9);
    for (const iv of [
      hex('0000000000000000fffffffffffffffe'),
      hex('ffffffffffffffffffffffffffffffff'),
      hex('000102030405060708090a0bfffffffe'),
    ]) {
      for (const key of [seq(16, 1), seq(32, 3)]) {
        const cipher = `aes-${key.length * 8}-ctr`;
        expect(toHex(p.aesCtr(key, iv, data))).toBe(toHex(openssl(cipher, key, iv, data)));
      }
    }
  });

  it('rejects an IV that is not one block', () => {
    expectCode(() => p.aesCtr(seq(16), seq(12), seq(4)), 'invalid_nonce');
  });
});

describe('noble chacha20', () => {
  const key = seq(32);
  const nonce = hex('000000090000004a00000000');

  it('RFC 8439 §2.3.2: the block function with counter 1', () => {
    expect(toHex(__testing.chachaBlock(key, 1, nonce))).toBe(
      '10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e' +
        'd2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e',
    );
  });

  it('serves the block at counter 0xffffffff that noble refuses (RFC 9001 §5.4.4 samples any counter)', () => {
    const data = seq(64 * 2 + 7, 3);
    const iv = (counter: number) => {
      const b = new Uint8Array(16);
      new DataView(b.buffer).setUint32(0, counter, true);
      b.set(nonce, 4);
      return b;
    };
    // One block exactly at 0xffffffff, a QUIC-sized mask, and a run ending on it.
    expect(toHex(p.chacha20(key, 0xffffffff, nonce, data.subarray(0, 64)))).toBe(
      toHex(openssl('chacha20', key, iv(0xffffffff), data.subarray(0, 64))),
    );
    expect(toHex(p.chacha20(key, 0xffffffff, nonce, new Uint8Array(5)))).toBe(
      toHex(openssl('chacha20', key, iv(0xffffffff), new Uint8Array(5))),
    );
    expect(toHex(p.chacha20(key, 0xfffffffd, nonce, data))).toBe(
      toHex(openssl('chacha20', key, iv(0xfffffffd), data)),
    );
    expect(toHex(p.chacha20(key, 7, nonce, data))).toBe(
      toHex(openssl('chacha20', key, iv(7), data)),
    );
  });

  it('refuses to wrap the 32-bit counter, and bad lengths, with CryptoError', () => {
    expectCode(() => p.chacha20(key, 0xffffffff, nonce, new Uint8Array(65)), 'invalid_nonce');
    expectCode(() => p.chacha20(key, 2 ** 32, nonce, new Uint8Array(1)), 'invalid_nonce');
    expectCode(() => p.chacha20(key, -1, nonce, new Uint8Array(1)), 'invalid_nonce');
    expectCode(() => p.chacha20(key, 0, seq(8), new Uint8Array(1)), 'invalid_nonce');
    expectCode(() => p.chacha20(seq(16), 0, nonce, new Uint8Array(1)), 'invalid_key');
    expect(p.chacha20(key, 0xffffffff, nonce, new Uint8Array(0)).length).toBe(0);
  });
});

describe('noble AEAD and random input checks', () => {
  it('wrong key and nonce lengths, and unknown names, are CryptoError', () => {
    expectCode(() => p.aead('AES-128-GCM', seq(32)), 'invalid_key');
    expectCode(() => p.aead('CHACHA20-POLY1305', seq(16)), 'invalid_key');
    expectCode(() => p.aead('AES-128-CCM-8', seq(32)), 'invalid_key');
    expectCode(() => p.aead('AES-192-GCM' as never, seq(24)), 'unsupported');
    const aead = p.aead('AES-256-GCM', seq(32));
    expectCode(() => aead.seal(seq(16), seq(3), seq(0)), 'invalid_nonce');
    expectCode(() => aead.open(seq(8), seq(20), seq(0)), 'invalid_nonce');
    expect(aead.open(seq(12), seq(15), seq(0))).toBeNull(); // shorter than a tag
  });

  it('randomBytes fills beyond the 64 KiB getRandomValues limit and rejects bad lengths', () => {
    const r = p.randomBytes(70_000);
    expect(r.length).toBe(70_000);
    expect(r.subarray(65_536).some((b) => b !== 0)).toBe(true);
    expect(p.randomBytes(0).length).toBe(0);
    expectCode(() => p.randomBytes(-1), 'unsupported');
    expectCode(() => p.randomBytes(1.5), 'unsupported');
  });
});
