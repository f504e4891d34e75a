import type { SocketAddress } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeXorAddress } from '../message/attributes/address.js';
import { decodeErrorCode } from '../message/attributes/error-code.js';
import { decodeText } from '../message/attributes/strings.js';
import { AttributeType as T } from '../message/attributes/types.js';
import { decodeUnknownAttributes } from '../message/attributes/unknown-attributes.js';
import { checkFingerprint } from '../message/fingerprint.js';
import { findAttribute } from '../message/lookup.js';
import { decodeMessage, encodeMessage, type StunAttribute } from '../message/message.js';
import { BindingServer } from './binding-server.js';

const v4: SocketAddress = { address: '203.0.113.7', port: 61000, family: 'IPv4' };
const v6: SocketAddress = { address: '2001:db8::7', port: 5, family: 'IPv6' };
const id = Uint8Array.from({ length: 12 }, (_, i) => i + 1);

function request(
  attributes: StunAttribute[] = [],
  cls: 'request' | 'indication' = 'request',
  fingerprint = true,
) {
  return encodeMessage({ method: 1, class: cls, transactionId: id, attributes }, { fingerprint });
}

describe('BindingServer (RFC 8489 §6.3.1)', () => {
  it('answers a Binding request with XOR-MAPPED-ADDRESS, SOFTWARE and FINGERPRINT, IPv4 and IPv6', () => {
    const server = new BindingServer({ software: 'test 1.0' });
    for (const remote of [v4, v6]) {
      const r = decodeMessage(server.respond(request(), remote)!);
      expect(r.class).toBe('success');
      expect(r.method).toBe(1);
      expect(r.transactionId).toEqual(id);
      expect(decodeXorAddress(findAttribute(r, T.XOR_MAPPED_ADDRESS)!.value, id)).toEqual(remote);
      expect(decodeText(findAttribute(r, T.SOFTWARE)!.value)).toBe('test 1.0');
      expect(checkFingerprint(r)).toBe('ok');
    }
  });

  it('answers 420 listing only unknown comprehension-required attributes', () => {
    const server = new BindingServer();
    const req = request([
      { type: 0x7001, value: new Uint8Array(3) },
      { type: 0xc001, value: new Uint8Array(1) }, // comprehension-optional: ignored
      { type: 0x7001, value: new Uint8Array(0) },
      { type: 0x0003, value: new Uint8Array(4) }, // CHANGE-REQUEST, retired by RFC 5389
      { type: T.PRIORITY, value: new Uint8Array(4) },
    ]);
    const r = decodeMessage(server.respond(req, v4)!);
    expect(r.class).toBe('error');
    expect(decodeErrorCode(findAttribute(r, T.ERROR_CODE)!.value).code).toBe(420);
    expect(decodeUnknownAttributes(findAttribute(r, T.UNKNOWN_ATTRIBUTES)!.value)).toEqual([
      0x7001, 0x0003,
    ]);
    expect(checkFingerprint(r)).toBe('ok');
  });

  it('answers 400 to a request whose attributes are malformed', () => {
    const server = new BindingServer();
    const req = request([{ type: T.USERNAME, value: new Uint8Array(8) }], 'request', false);
    req[23] = 200; // USERNAME claims 200 bytes
    const r = decodeMessage(server.respond(req, v4)!);
    expect(r.transactionId).toEqual(id);
    expect(decodeErrorCode(findAttribute(r, T.ERROR_CODE)!.value).code).toBe(400);
  });

  it('stays silent for indications, responses, other methods, a bad FINGERPRINT and non-STUN bytes', () => {
    const server = new BindingServer();
    const badFp = request();
    badFp[badFp.length - 1]! ^= 1;
    const response = encodeMessage({
      method: 1,
      class: 'success',
      transactionId: id,
      attributes: [],
    });
    const allocate = encodeMessage({
      method: 3,
      class: 'request',
      transactionId: id,
      attributes: [],
    });
    for (const d of [
      request([], 'indication'),
      badFp,
      response,
      allocate,
      Uint8Array.of(22, 254, 253),
      new Uint8Array(0),
    ]) {
      expect(server.respond(d, v4)).toBeUndefined();
    }
    expect(server.stats.ignored).toBe(6);
  });

  it('never throws on arbitrary datagrams, and every answer is a small, valid STUN response', () => {
    const server = new BindingServer({ software: 'x' });
    const check = (d: Uint8Array) => {
      const out = server.respond(d, v6);
      if (out === undefined) return;
      const r = decodeMessage(out);
      expect(r.class === 'success' || r.class === 'error').toBe(true);
      expect(checkFingerprint(r)).toBe('ok');
      expect(out.length).toBeLessThanOrEqual(20 + 12 + 24 + 8 + 8 + 4 + 2 * 64); // no amplification
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), check), { numRuns: 2000 });
    // Mutations of a valid request, to get past the header checks.
    const base = request([
      { type: T.USERNAME, value: new Uint8Array(5) },
      { type: 0x7777, value: new Uint8Array(2) },
    ]);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        (edits) => {
          const d = base.slice();
          for (const [at, v] of edits) d[at % d.length] = v;
          check(d);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
