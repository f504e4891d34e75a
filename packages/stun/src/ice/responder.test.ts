import { nobleProvider, nodeProvider } from '@x/crypto';
import { rfcText } from '@x/test-helpers';
import type { SocketAddress } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shortTermKey } from '../credentials.js';
import { decodeXorAddress } from '../message/attributes/address.js';
import { decodeErrorCode } from '../message/attributes/error-code.js';
import { encodePriority, encodeTiebreaker } from '../message/attributes/ice.js';
import { encodeText } from '../message/attributes/strings.js';
import { AttributeType as T } from '../message/attributes/types.js';
import { checkFingerprint } from '../message/fingerprint.js';
import {
  type IntegrityAlgorithm,
  integrityAlgorithmOf,
  verifyIntegrity,
} from '../message/integrity.js';
import { findAttribute } from '../message/lookup.js';
import { decodeMessage, encodeMessage, type StunAttribute } from '../message/message.js';
import { param, rfcVector } from '../test-support/rfc5769.js';
import { IceLiteResponder } from './responder.js';

const remote: SocketAddress = { address: '192.0.2.44', port: 40000, family: 'IPv4' };
const LOCAL = { ufrag: 'lite', pwd: 'ourIcePasswordIsLong22' };

interface CheckOptions {
  username?: string;
  key?: string;
  role?: 'controlling' | 'controlled';
  useCandidate?: boolean;
  algorithms?: IntegrityAlgorithm[];
  extra?: StunAttribute[];
  fingerprint?: boolean;
}

/** A connectivity check as a full controlling agent (a browser) sends it (RFC 8445 §7.2.2). */
function check(o: CheckOptions = {}): Uint8Array {
  const attributes: StunAttribute[] = [
    { type: T.USERNAME, value: encodeText(o.username ?? `${LOCAL.ufrag}:peer`) },
    {
      type: o.role === 'controlled' ? T.ICE_CONTROLLED : T.ICE_CONTROLLING,
      value: encodeTiebreaker(0x1234n),
    },
    { type: T.PRIORITY, value: encodePriority(1853817087) },
    ...(o.useCandidate ? [{ type: T.USE_CANDIDATE, value: new Uint8Array(0) }] : []),
    ...(o.extra ?? []),
  ];
  return encodeMessage(
    { method: 1, class: 'request', transactionId: nodeProvider.randomBytes(12), attributes },
    {
      integrity: {
        key: shortTermKey(o.key ?? LOCAL.pwd),
        provider: nodeProvider,
        algorithms: o.algorithms ?? ['SHA-1'],
      },
      fingerprint: o.fingerprint ?? true,
    },
  );
}

describe.each([nodeProvider, nobleProvider])('ICE-lite responder ($name)', (provider) => {
  const responder = () =>
    new IceLiteResponder({ localUfrag: LOCAL.ufrag, localPassword: LOCAL.pwd, provider });

  it('answers a valid check with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT, and reports it', () => {
    const out = responder().handle(check({ useCandidate: true }), remote);
    expect(out.kind).toBe('check');
    if (out.kind !== 'check') return;
    expect(out.check).toEqual({
      remote,
      priority: 1853817087,
      nominated: true,
      tiebreaker: 0x1234n,
      remoteUfrag: 'peer',
    });
    const r = decodeMessage(out.response);
    expect(r.class).toBe('success');
    expect(
      decodeXorAddress(findAttribute(r, T.XOR_MAPPED_ADDRESS)!.value, r.transactionId),
    ).toEqual(remote);
    expect(verifyIntegrity(r, shortTermKey(LOCAL.pwd), provider, 'SHA-1')).toBe(true);
    expect(checkFingerprint(r)).toBe('ok');
    expect(findAttribute(r, T.USERNAME)).toBeUndefined(); // §9.1.3: responses carry no USERNAME
  });

  it('a check without USE-CANDIDATE is answered but not a nomination', () => {
    const out = responder().handle(check(), remote);
    expect(out.kind === 'check' && out.check.nominated).toBe(false);
  });

  it('answers MESSAGE-INTEGRITY-SHA256 with MESSAGE-INTEGRITY-SHA256 only (RFC 8489 §9.1.3)', () => {
    for (const algorithms of [['SHA-256'], ['SHA-1', 'SHA-256']] as IntegrityAlgorithm[][]) {
      const out = responder().handle(check({ algorithms }), remote);
      expect(out.kind).toBe('check');
      if (out.kind !== 'check') return;
      const r = decodeMessage(out.response);
      expect(integrityAlgorithmOf(r)).toBe('SHA-256');
      expect(findAttribute(r, T.MESSAGE_INTEGRITY)).toBeUndefined();
      expect(verifyIntegrity(r, shortTermKey(LOCAL.pwd), provider)).toBe(true);
    }
  });

  it.each([
    ['a wrong password', { key: 'not the password' }, 401],
    ['another ufrag', { username: 'other:peer' }, 401],
    ['no colon after our ufrag', { username: 'litepeer' }, 401],
  ] as const)('rejects %s with 401 and no integrity', (_, o, code) => {
    const out = responder().handle(check(o), remote);
    expect(out.kind).toBe('error');
    if (out.kind !== 'error') return;
    expect(out.code).toBe(code);
    const r = decodeMessage(out.response);
    expect(decodeErrorCode(findAttribute(r, T.ERROR_CODE)!.value).code).toBe(code);
    expect(integrityAlgorithmOf(r)).toBeUndefined();
    expect(checkFingerprint(r)).toBe('ok');
  });

  it('rejects a check from a different remote ufrag once the remote ufrag is known', () => {
    const r = responder();
    r.setRemoteUfrag('peer');
    expect(r.handle(check(), remote).kind).toBe('check');
    r.setRemoteUfrag('someone-else');
    const out = r.handle(check(), remote);
    expect(out.kind === 'error' && out.code).toBe(401);
  });

  it('answers 400 to a request without USERNAME or integrity', () => {
    const bare = encodeMessage(
      { method: 1, class: 'request', transactionId: new Uint8Array(12), attributes: [] },
      { fingerprint: true },
    );
    const out = responder().handle(bare, remote);
    expect(out.kind === 'error' && out.code).toBe(400);
  });

  it('answers a role conflict (peer claims controlled) with a signed 487', () => {
    const out = responder().handle(check({ role: 'controlled' }), remote);
    expect(out.kind === 'error' && out.code).toBe(487);
    if (out.kind !== 'error') return;
    const r = decodeMessage(out.response);
    expect(verifyIntegrity(r, shortTermKey(LOCAL.pwd), provider)).toBe(true);
    expect(checkFingerprint(r)).toBe('ok');
  });

  it('answers RFC 5769 §2.1 (an ICE-CONTROLLED check for ufrag "evtj") with 487, after authenticating it', () => {
    const v = rfcVector(rfcText(5769), '2.1.  Sample Request', '2.2.  Sample IPv4 Response');
    const [ours] = param(v, 'Username').split(':');
    const r = new IceLiteResponder({
      localUfrag: ours!,
      localPassword: param(v, 'Password'),
      provider,
    });
    const out = r.handle(v.bytes, remote);
    expect(out.kind === 'error' && out.code).toBe(487);
    const wrong = new IceLiteResponder({ localUfrag: ours!, localPassword: 'x', provider });
    const denied = wrong.handle(v.bytes, remote);
    expect(denied.kind === 'error' && denied.code).toBe(401);
  });

  it('answers 420 (signed) to unknown comprehension-required attributes', () => {
    const out = responder().handle(
      check({ extra: [{ type: 0x7abc, value: new Uint8Array(2) }] }),
      remote,
    );
    expect(out.kind === 'error' && out.code).toBe(420);
  });

  it('ignores checks without FINGERPRINT, indications and responses', () => {
    const r = responder();
    expect(r.handle(check({ fingerprint: false }), remote).kind).toBe('ignored');
    const keepalive = encodeMessage(
      { method: 1, class: 'indication', transactionId: new Uint8Array(12), attributes: [] },
      { fingerprint: true },
    );
    expect(r.handle(keepalive, remote).kind).toBe('ignored');
    const resp = encodeMessage(
      { method: 1, class: 'success', transactionId: new Uint8Array(12), attributes: [] },
      { fingerprint: true },
    );
    expect(r.handle(resp, remote).kind).toBe('ignored');
  });

  it('never throws on arbitrary datagrams or mutated checks', () => {
    const r = responder();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (d) => void r.handle(d, remote)),
      { numRuns: 1000 },
    );
    const base = check({ useCandidate: true });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 3,
        }),
        (edits) => {
          const d = base.slice();
          for (const [at, val] of edits) d[at % d.length] = val;
          const out = r.handle(d, remote);
          // A changed byte is never accepted as a valid check unless it left the message intact.
          if (out.kind === 'check') expect(d).toEqual(base);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
