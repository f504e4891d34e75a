/**
 * RFC 8489 Appendix B.1 (MESSAGE-INTEGRITY-SHA256 and USERHASH). The vector as
 * printed does not follow the RFC's own rules, and these tests pin down how:
 *
 * - its Length field is 0x9c = 156, the size of the whole message including
 *   the 20-byte header; §5 says the header is not counted (it should be 0x88);
 * - its HMAC-SHA256 verifies only when the adjusted Length is computed the same
 *   wrong way (156 instead of 136), with key SHA-256(username:realm:password),
 *   although the message carries no PASSWORD-ALGORITHM (§9.2.4 would use MD5).
 *
 * Everything else in it (USERHASH, NONCE, REALM, padding) is right and matches us.
 */
import { nodeProvider as provider } from '@x/crypto';
import { rfcText, toHex } from '@x/test-helpers';
import { DecodeError } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { longTermKey, userHash } from '../credentials.js';
import { param, rfcVector } from '../test-support/rfc5769.js';
import { decodeText, decodeUserhash } from './attributes/strings.js';
import { AttributeType as T } from './attributes/types.js';
import { verifyIntegrity } from './integrity.js';
import { findAttribute } from './lookup.js';
import { decodeMessage, encodeMessage } from './message.js';

const v = rfcVector(rfcText(8489), 'B.1.  Sample Request with Long-Term', 'Acknowledgements');
const username = param(v, 'Username');
const realm = param(v, 'Realm');
const nonce = param(v, 'Nonce');
const password = param(v, 'Password', 1); // after OpaqueString, as the RFC says

/** The vector with its Length field set as RFC 8489 §5 defines it. */
function corrected(): Uint8Array {
  const b = v.bytes.slice();
  const length = b.length - 20;
  b[2] = length >> 8;
  b[3] = length & 0xff;
  return b;
}

describe('RFC 8489 Appendix B.1', () => {
  it('has a Length field that counts the header, so a strict decoder rejects it', () => {
    const declared = (v.bytes[2]! << 8) | v.bytes[3]!;
    expect(declared).toBe(v.bytes.length); // 156: the header is included
    expect(() => decodeMessage(v.bytes)).toThrow(DecodeError);
  });

  it('USERHASH is SHA-256(username ":" realm), NONCE and REALM decode', () => {
    const m = decodeMessage(corrected());
    const uh = decodeUserhash(findAttribute(m, T.USERHASH)!.value);
    expect(toHex(uh)).toBe(toHex(userHash(provider, username, realm)));
    expect(decodeText(findAttribute(m, T.NONCE)!.value)).toBe(nonce);
    expect(decodeText(findAttribute(m, T.REALM)!.value)).toBe(realm);
    expect(findAttribute(m, T.PASSWORD_ALGORITHM)).toBeUndefined();
  });

  it('its HMAC verifies with neither key under the §14.6 length adjustment', () => {
    const m = decodeMessage(corrected());
    for (const alg of ['MD5', 'SHA-256'] as const) {
      const key = longTermKey(provider, username, realm, password, alg);
      expect(verifyIntegrity(m, key, provider, 'SHA-256'), alg).toBe(false);
    }
  });

  it('its HMAC is HMAC-SHA256(SHA-256 key) over the message with the header-inclusive length', () => {
    const key = longTermKey(provider, username, realm, password, 'SHA-256');
    const miAt = v.bytes.length - 36;
    const mac = provider.hmac('SHA-256', key, v.bytes.subarray(0, miAt)); // Length field as printed: 156
    expect(toHex(mac)).toBe(toHex(v.bytes.subarray(miAt + 4)));
  });

  it('our encoding of the same request differs only in Length and the HMAC, and verifies', () => {
    const key = longTermKey(provider, username, realm, password, 'SHA-256');
    const m = decodeMessage(corrected());
    const ours = encodeMessage(
      {
        method: m.method,
        class: m.class,
        transactionId: m.transactionId,
        attributes: [
          { type: T.USERHASH, value: userHash(provider, username, realm) },
          { type: T.NONCE, value: new TextEncoder().encode(nonce) },
          { type: T.REALM, value: new TextEncoder().encode(realm) },
        ],
      },
      { integrity: { key, provider, algorithms: ['SHA-256'] } },
    );
    expect(ours.length).toBe(v.bytes.length);
    expect(toHex(ours.subarray(0, 2))).toBe(toHex(v.bytes.subarray(0, 2)));
    expect((ours[2]! << 8) | ours[3]!).toBe(ours.length - 20);
    const miAt = ours.length - 36;
    expect(toHex(ours.subarray(4, miAt + 4))).toBe(toHex(v.bytes.subarray(4, miAt + 4)));
    expect(verifyIntegrity(decodeMessage(ours), key, provider)).toBe(true);
  });
});
