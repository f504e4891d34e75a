/**
 * RFC 5769 §2: all four STUN test vectors decode, verify (MESSAGE-INTEGRITY and
 * FINGERPRINT) and re-encode byte for byte from typed attribute values. Bytes and
 * parameters are read from the RFC text.
 */
import { nobleProvider, nodeProvider } from '@x/crypto';
import { rfcText, toHex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { longTermKey, shortTermKey } from '../credentials.js';
import { param, rfcVector } from '../test-support/rfc5769.js';
import { decodeXorAddress, encodeXorAddress } from './attributes/address.js';
import {
  decodePriority,
  decodeTiebreaker,
  encodePriority,
  encodeTiebreaker,
} from './attributes/ice.js';
import { decodeText, encodeText } from './attributes/strings.js';
import { AttributeType as T } from './attributes/types.js';
import { checkFingerprint } from './fingerprint.js';
import { METHOD_BINDING } from './header.js';
import { verifyIntegrity } from './integrity.js';
import { findAttribute } from './lookup.js';
import { type DecodedStunMessage, decodeMessage, encodeMessage } from './message.js';

const text = rfcText(5769);
const request = rfcVector(text, '2.1.  Sample Request', '2.2.  Sample IPv4 Response');
const ipv4 = rfcVector(text, '2.2.  Sample IPv4 Response', '2.3.  Sample IPv6 Response');
const ipv6 = rfcVector(text, '2.3.  Sample IPv6 Response', '2.4.  Sample Request with Long-Term');
const longTerm = rfcVector(
  text,
  '2.4.  Sample Request with Long-Term',
  '3.  Security Considerations',
);

const value = (m: DecodedStunMessage, type: number) => {
  const a = findAttribute(m, type);
  if (!a) throw new Error(`attribute 0x${type.toString(16)} missing`);
  return a.value;
};

/** "Mapped address:  192.0.2.1 port 32853" */
function mappedAddress(v: typeof ipv4) {
  const m = /^(\S+) port (\d+)$/.exec(param(v, 'Mapped address'))!;
  return { address: m[1]!, port: Number(m[2]) };
}

describe.each([nodeProvider, nobleProvider])('RFC 5769 vectors ($name provider)', (provider) => {
  it('2.1 sample request: decodes, verifies with the password, re-encodes byte for byte', () => {
    const m = decodeMessage(request.bytes);
    expect(request.bytes.length).toBe(108);
    expect(m.method).toBe(METHOD_BINDING);
    expect(m.class).toBe('request');
    expect(m.attributes.map((a) => a.type)).toEqual([
      T.SOFTWARE,
      T.PRIORITY,
      T.ICE_CONTROLLED,
      T.USERNAME,
      T.MESSAGE_INTEGRITY,
      T.FINGERPRINT,
    ]);
    expect(decodeText(value(m, T.SOFTWARE))).toBe(param(request, 'Software name'));
    expect(decodeText(value(m, T.USERNAME))).toBe(param(request, 'Username'));
    const key = shortTermKey(param(request, 'Password'));
    expect(verifyIntegrity(m, key, provider)).toBe(true);
    expect(verifyIntegrity(m, shortTermKey('wrong'), provider)).toBe(false);
    expect(checkFingerprint(m)).toBe('ok');

    const rebuilt = encodeMessage(
      {
        method: m.method,
        class: m.class,
        transactionId: m.transactionId,
        attributes: [
          { type: T.SOFTWARE, value: encodeText(param(request, 'Software name')) },
          { type: T.PRIORITY, value: encodePriority(decodePriority(value(m, T.PRIORITY))) },
          {
            type: T.ICE_CONTROLLED,
            value: encodeTiebreaker(decodeTiebreaker(value(m, T.ICE_CONTROLLED))),
          },
          { type: T.USERNAME, value: encodeText(param(request, 'Username')) },
        ],
      },
      { integrity: { key, provider }, fingerprint: true, padding: 0x20 },
    );
    expect(toHex(rebuilt)).toBe(toHex(request.bytes));
  });

  it.each([
    ['2.2 IPv4', ipv4],
    ['2.3 IPv6', ipv6],
  ])('%s response: XOR-MAPPED-ADDRESS as the RFC states, verifies, re-encodes', (_, v) => {
    const m = decodeMessage(v.bytes);
    expect(m.class).toBe('success');
    expect(m.method).toBe(METHOD_BINDING);
    const mapped = decodeXorAddress(value(m, T.XOR_MAPPED_ADDRESS), m.transactionId);
    expect({ address: mapped.address, port: mapped.port }).toEqual(mappedAddress(v));
    expect(mapped.family).toBe(v === ipv4 ? 'IPv4' : 'IPv6');
    expect(decodeText(value(m, T.SOFTWARE))).toBe(param(v, 'Software name'));
    const key = shortTermKey(param(v, 'Password'));
    expect(verifyIntegrity(m, key, provider)).toBe(true);
    expect(checkFingerprint(m)).toBe('ok');

    const rebuilt = encodeMessage(
      {
        method: METHOD_BINDING,
        class: 'success',
        transactionId: m.transactionId,
        attributes: [
          { type: T.SOFTWARE, value: encodeText(param(v, 'Software name')) },
          {
            type: T.XOR_MAPPED_ADDRESS,
            value: encodeXorAddress(
              { ...mappedAddress(v), family: mapped.family },
              m.transactionId,
            ),
          },
        ],
      },
      { integrity: { key, provider }, fingerprint: true, padding: 0x20 },
    );
    expect(toHex(rebuilt)).toBe(toHex(v.bytes));
  });

  it('2.4 long-term credentials: key = MD5(username:realm:SASLprep(password)) verifies, re-encodes', () => {
    const m = decodeMessage(longTerm.bytes);
    const username = param(longTerm, 'Username');
    const realm = param(longTerm, 'Realm');
    const nonce = param(longTerm, 'Nonce');
    // The RFC gives the password before and after SASLprep; the key uses the latter.
    const password = param(longTerm, 'Password', 1);
    expect(password).toBe('TheMatrIX');
    expect(decodeText(value(m, T.USERNAME))).toBe(username);
    expect(decodeText(value(m, T.NONCE))).toBe(nonce);
    expect(decodeText(value(m, T.REALM))).toBe(realm);
    const key = longTermKey(provider, username, realm, password);
    expect(verifyIntegrity(m, key, provider)).toBe(true);
    // The unprocessed password gives a different key: the profile matters.
    const raw = longTermKey(provider, username, realm, param(longTerm, 'Password', 0));
    expect(verifyIntegrity(m, raw, provider)).toBe(false);
    expect(checkFingerprint(m)).toBe('absent');

    const rebuilt = encodeMessage(
      {
        method: METHOD_BINDING,
        class: 'request',
        transactionId: m.transactionId,
        attributes: [
          { type: T.USERNAME, value: encodeText(username) },
          { type: T.NONCE, value: encodeText(nonce) },
          { type: T.REALM, value: encodeText(realm) },
        ],
      },
      { integrity: { key, provider } },
    );
    expect(toHex(rebuilt)).toBe(toHex(longTerm.bytes));
  });

  it('a flipped bit anywhere before FINGERPRINT breaks integrity or fingerprint', () => {
    for (let i = 0; i < request.bytes.length - 8; i++) {
      const copy = request.bytes.slice();
      copy[i]! ^= 0x01;
      let m: DecodedStunMessage;
      try {
        m = decodeMessage(copy);
      } catch {
        continue; // header or framing no longer parses: also rejected
      }
      expect(checkFingerprint(m), `byte ${i}`).toBe('bad');
    }
  });
});
