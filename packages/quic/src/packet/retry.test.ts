import { getCipherSuite, hkdfExpandLabel, nobleProvider, nodeProvider } from '@x/crypto';
import { hex, rfcHexBlockAfter, rfcSlice, rfcText, toHex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { parsePacketHeader } from './header.js';
import {
  encodeRetry,
  RETRY_INTEGRITY_KEY_V1,
  RETRY_INTEGRITY_NONCE_V1,
  verifyRetryIntegrity,
} from './retry.js';

const rfc = rfcText(9001);
const a4 = rfcSlice(rfc, 'A.4.  Retry', 'A.5.  ChaCha20');
const s58 = rfcSlice(rfc, '5.8.  Retry Packet Integrity', '6.  Key Update');
const odcid = hex(/connection ID value of 0x([0-9a-f]+)/.exec(a4)![1]!);
const retry = rfcHexBlockAfter(a4, 'not included in the final Retry packet:');

describe('Retry integrity (RFC 9001 §5.8, A.4)', () => {
  it('uses the key and nonce of §5.8, which are HKDF-Expand-Label of the stated secret', () => {
    const key = hex(/K, is 128 bits equal to\s+0x([0-9a-f]+)/.exec(s58)![1]!);
    const nonce = hex(/N, is 96 bits equal to 0x([0-9a-f]+)/.exec(s58)![1]!);
    expect(toHex(RETRY_INTEGRITY_KEY_V1)).toBe(toHex(key));
    expect(toHex(RETRY_INTEGRITY_NONCE_V1)).toBe(toHex(nonce));
    const secret = hex(/using\s+0x([0-9a-f]+) as\s+the secret/.exec(s58)![1]!);
    const e = new Uint8Array(0);
    expect(toHex(hkdfExpandLabel(nodeProvider, 'SHA-256', secret, 'quic key', e, 16))).toBe(
      toHex(key),
    );
    expect(toHex(hkdfExpandLabel(nodeProvider, 'SHA-256', secret, 'quic iv', e, 12))).toBe(
      toHex(nonce),
    );
    expect(getCipherSuite('tls13', 0x1301)).toBeDefined();
  });

  for (const provider of [nodeProvider, nobleProvider]) {
    it(`A.4: builds the Retry byte for byte and verifies it (${provider.name})`, () => {
      const h = parsePacketHeader(retry, 0, 0);
      expect(h.type).toBe('retry');
      expect(new TextDecoder().decode(h.token)).toBe('token');
      const built = encodeRetry(provider, {
        dcid: h.dcid,
        scid: h.scid,
        token: h.token,
        originalDcid: odcid,
        unusedBits: retry[0]! & 0x0f,
      });
      expect(toHex(built)).toBe(toHex(retry));
      expect(verifyRetryIntegrity(provider, retry, odcid)).toBe(true);
    });
  }

  it('rejects a Retry with a flipped bit or for another original DCID', () => {
    for (let i = 0; i < retry.length; i++) {
      const bad = retry.slice();
      bad[i] = bad[i]! ^ 0x40;
      expect(verifyRetryIntegrity(nodeProvider, bad, odcid)).toBe(false);
    }
    const other = odcid.slice();
    other[0] = other[0]! ^ 1;
    expect(verifyRetryIntegrity(nodeProvider, retry, other)).toBe(false);
    expect(verifyRetryIntegrity(nodeProvider, retry.subarray(0, 10), odcid)).toBe(false);
  });
});
