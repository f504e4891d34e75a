/**
 * The long-term credential mechanism (RFC 8489 §9.2) end to end in virtual
 * time: our StunClient with LongTermCredentials against our BindingServer with
 * a LongTermAuthenticator; and the server's checks on the RFC 5769 §2.4 vector.
 */
import { nodeProvider as provider } from '@x/crypto';
import { rfcText } from '@x/test-helpers';
import { SimNetwork, type SocketAddress } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { AttributeType as T } from '../message/attributes/types.js';
import { integrityAlgorithmOf, verifyIntegrity } from '../message/integrity.js';
import { findAttribute } from '../message/lookup.js';
import { decodeMessage } from '../message/message.js';
import { BindingServer } from '../server/binding-server.js';
import { LongTermAuthenticator, type LongTermAuthOptions } from '../server/long-term-auth.js';
import { param, rfcVector } from '../test-support/rfc5769.js';
import { StunClient } from './client.js';
import { LongTermCredentials, nonceSecurityFeatures } from './long-term.js';
import type { TransactionOutcome } from './transaction.js';

const a: SocketAddress = { address: '192.0.2.1', port: 4000, family: 'IPv4' };
const b: SocketAddress = { address: '192.0.2.9', port: 4000, family: 'IPv4' };
const server: SocketAddress = { address: '198.51.100.7', port: 3478, family: 'IPv4' };
const users = new Map([['alice', 'correct horse']]);

function world(auth: Partial<LongTermAuthOptions> = {}) {
  const net = new SimNetwork({ seed: 7 });
  net.link(a, server, { delayMs: 10 });
  net.link(b, server, { delayMs: 10 });
  const authenticator = new LongTermAuthenticator({
    realm: 'example.org',
    provider,
    password: (u) => users.get(u),
    ...auth,
  });
  net.addEndpoint(new BindingServer({ longTerm: authenticator }), server);
  const client = new StunClient();
  net.addEndpoint(client, a);
  const request = (creds: LongTermCredentials, c = client) => {
    let outcome: TransactionOutcome | undefined;
    c.request(server, { credentials: creds, onComplete: (o) => (outcome = o) });
    net.wake(c);
    net.run({ until: net.now + 60_000 });
    return outcome!;
  };
  const sends = () =>
    net.trace.filter((e) => e.kind === 'send' && e.from === `${a.address}:${a.port}`).length;
  return { net, client, request, sends };
}

describe('long-term credentials (RFC 8489 §9.2)', () => {
  it('401 challenge with PASSWORD-ALGORITHMS, retry with SHA-256 and MESSAGE-INTEGRITY-SHA256, then cached', () => {
    const { request, sends } = world();
    const creds = new LongTermCredentials(provider, 'alice', 'correct horse');
    const first = request(creds);
    expect(first.kind).toBe('success');
    expect(sends()).toBe(2); // the bare request, then the authenticated one
    expect(creds.realm).toBe('example.org');
    expect(nonceSecurityFeatures(creds.nonce!)).toEqual({
      passwordAlgorithms: true,
      usernameAnonymity: false,
    });
    expect(creds.algorithm).toBe('SHA-256');
    if (first.kind !== 'success') return;
    expect(integrityAlgorithmOf(first.response)).toBe('SHA-256');
    expect(findAttribute(first.response, T.MESSAGE_INTEGRITY)).toBeUndefined();
    expect(verifyIntegrity(first.response, creds.key!, provider)).toBe(true);
    // §9.2.3.2: a subsequent request carries the cached credentials and is not challenged.
    expect(request(creds).kind).toBe('success');
    expect(sends()).toBe(3);
  });

  it('an RFC 5389-style server (no PASSWORD-ALGORITHMS) gets MD5 and MESSAGE-INTEGRITY', () => {
    const { request } = world({ passwordAlgorithms: false });
    const creds = new LongTermCredentials(provider, 'alice', 'correct horse');
    const o = request(creds);
    expect(o.kind).toBe('success');
    expect(creds.algorithm).toBe('MD5');
    expect(creds.key).toHaveLength(16);
    if (o.kind === 'success') expect(integrityAlgorithmOf(o.response)).toBe('SHA-1');
  });

  it('a wrong password ends in 401 after one retry (no loop, §9.2.5)', () => {
    const { request, sends } = world();
    const o = request(new LongTermCredentials(provider, 'alice', 'wrong'));
    expect(o.kind === 'error-response' && o.code).toBe(401);
    expect(sends()).toBe(2);
    const unknownUser = request(new LongTermCredentials(provider, 'mallory', 'x'));
    expect(unknownUser.kind === 'error-response' && unknownUser.code).toBe(401);
  });

  it('an expired nonce is answered 438 and the client retries with the new one', () => {
    const { request, sends, net } = world({ nonceLifetimeMs: 1000 });
    const creds = new LongTermCredentials(provider, 'alice', 'correct horse');
    expect(request(creds).kind).toBe('success');
    const before = creds.nonce;
    net.run({ until: net.now + 5000 });
    expect(request(creds).kind).toBe('success');
    expect(sends()).toBe(4); // 401 retry, then 438 retry
    expect(creds.nonce).not.toBe(before);
  });

  it('a nonce issued to one address is not valid from another (§9.2.4)', () => {
    const w = world();
    const creds = new LongTermCredentials(provider, 'alice', 'correct horse');
    expect(w.request(creds).kind).toBe('success');
    const other = new StunClient();
    w.net.addEndpoint(other, b);
    const o = w.request(creds, other);
    expect(o.kind).toBe('success'); // via a 438 and a fresh nonce for b
    expect(
      w.net.trace.filter((e) => e.kind === 'send' && e.from.startsWith(b.address)).length,
    ).toBe(2);
  });
});

describe('LongTermAuthenticator on the RFC 5769 §2.4 request', () => {
  const v = rfcVector(
    rfcText(5769),
    '2.4.  Sample Request with Long-Term',
    '3.  Security Considerations',
  );
  const m = decodeMessage(v.bytes);
  const auth = (password: string) =>
    new LongTermAuthenticator({
      realm: param(v, 'Realm'),
      provider,
      password: (u) => (u === param(v, 'Username') ? password : undefined),
    }).authenticate(m, a, 0);

  it('verifies its MESSAGE-INTEGRITY, then rejects the nonce it never issued with 438', () => {
    const r = auth(param(v, 'Password', 1));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe(438);
    expect(r.attributes.map((x) => x.type)).toEqual([T.REALM, T.NONCE, T.PASSWORD_ALGORITHMS]);
  });

  it('answers 401 when the password does not match', () => {
    const r = auth('TheMatrix');
    expect(!r.ok && r.code).toBe(401);
  });
});
