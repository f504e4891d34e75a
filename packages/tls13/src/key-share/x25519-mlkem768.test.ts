import { nobleProvider, nodeProvider } from '@x/crypto';
import { describe, expect, it } from 'vitest';
import { TlsError } from '../alerts.js';
import { wrapProvider } from '../testing/provider.js';
import { getGroup, NamedGroup } from './named-group.js';

describe('X25519MLKEM768 (0x11EC)', () => {
  const group = getGroup(NamedGroup.X25519MLKEM768)!;
  for (const provider of [nodeProvider, nobleProvider]) {
    it(`agrees on a 64-byte secret with the draft's share sizes (${provider.name})`, () => {
      const client = group.start(provider);
      expect(client.publicKey.length).toBe(1184 + 32);
      const { share, sharedSecret } = group.respond(provider, client.publicKey);
      expect(share.length).toBe(1088 + 32);
      expect(sharedSecret.length).toBe(64);
      expect(client.complete(share)).toEqual(sharedSecret);
    });
  }

  it('puts ML-KEM first: the share ends with the X25519 key and the secret with the X25519 secret', () => {
    const a = nodeProvider.generateKeyPair('x25519');
    const b = nodeProvider.generateKeyPair('x25519');
    const client = group.start(wrapProvider(nodeProvider, { generateKeyPair: () => a }));
    const { share, sharedSecret } = group.respond(
      wrapProvider(nodeProvider, { generateKeyPair: () => b }),
      client.publicKey,
    );
    expect(client.publicKey.subarray(1184)).toEqual(a.publicKey);
    expect(share.subarray(1088)).toEqual(b.publicKey);
    expect(sharedSecret.subarray(32)).toEqual(
      nodeProvider.deriveSharedSecret('x25519', a.privateKey, b.publicKey),
    );
    // The first half is ML-KEM-768's shared secret: decapsulating the ciphertext gives it.
    expect(client.complete(share).subarray(0, 32)).toEqual(sharedSecret.subarray(0, 32));
  });

  it('refuses shares of the wrong length and invalid encapsulation keys with illegal_parameter', () => {
    const client = group.start(nodeProvider);
    for (const bad of [client.publicKey.subarray(1), new Uint8Array(1216).fill(0xff)]) {
      try {
        group.respond(nodeProvider, bad);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(TlsError);
        expect((e as TlsError).alert).toBe(47);
      }
    }
    expect(() => client.complete(new Uint8Array(100))).toThrow(TlsError);
  });
});
