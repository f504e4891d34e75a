import { nobleProvider, nodeProvider } from '@x/crypto';
import { hex } from '@x/test-helpers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createToken, validateToken } from './token.js';

const keys = { provider: nodeProvider, key: new Uint8Array(16).fill(3) };
const addr = hex('7f000001115c'); // 127.0.0.1:4444

describe('address-validation tokens (RFC 9000 §8.1)', () => {
  it('a Retry token carries the connection IDs and validates for its address while fresh', () => {
    const token = createToken(
      keys,
      {
        kind: 'retry',
        issuedAt: 1000,
        originalDestinationConnectionId: hex('8394c8f03e515708'),
        retrySourceConnectionId: hex('f067a5502a4262b5'),
      },
      addr,
    );
    const ok = validateToken(keys, token, addr, 5000);
    expect(ok.valid).toBe(true);
    if (ok.valid) {
      expect(ok.contents.kind).toBe('retry');
      expect(ok.contents.originalDestinationConnectionId).toEqual(hex('8394c8f03e515708'));
      expect(ok.contents.retrySourceConnectionId).toEqual(hex('f067a5502a4262b5'));
    }
    expect(validateToken(keys, token, addr, 1000 + 10_001)).toEqual({
      valid: false,
      reason: 'expired',
    });
    expect(validateToken(keys, token, addr, 999)).toEqual({ valid: false, reason: 'expired' });
  });

  it('is bound to the client address and the server key, and cannot be altered', () => {
    const token = createToken(keys, { kind: 'new-token', issuedAt: 0 }, addr);
    expect(validateToken(keys, token, hex('7f000002115c'), 10).valid).toBe(false);
    expect(validateToken({ ...keys, key: new Uint8Array(16) }, token, addr, 10).valid).toBe(false);
    for (let i = 0; i < token.length; i++) {
      const bad = token.slice();
      bad[i] = bad[i]! ^ 1;
      expect(validateToken(keys, bad, addr, 10).valid).toBe(false);
    }
    // Opens with the other provider too: the format is the provider-independent AEAD.
    expect(validateToken({ ...keys, provider: nobleProvider }, token, addr, 10).valid).toBe(true);
  });

  it('NEW_TOKEN tokens live longer than Retry tokens', () => {
    const token = createToken(keys, { kind: 'new-token', issuedAt: 0 }, addr);
    expect(validateToken(keys, token, addr, 3_600_000).valid).toBe(true);
    expect(validateToken(keys, token, addr, 86_400_001).valid).toBe(false);
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        expect(validateToken(keys, bytes, addr, 0).valid).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
