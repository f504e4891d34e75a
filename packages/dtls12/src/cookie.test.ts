import { nodeProvider } from '@x/crypto';
import { describe, expect, it } from 'vitest';
import { CookieJar } from './cookie.js';
import type { ClientHello } from './handshake/messages/client-hello.js';

const A = { address: '192.0.2.1', port: 1000, family: 'IPv4' as const };
const B = { address: '192.0.2.1', port: 1001, family: 'IPv4' as const };
const hello = (cookie: Uint8Array, random = 1): ClientHello => ({
  clientVersion: 0xfefd,
  random: new Uint8Array(32).fill(random),
  sessionId: new Uint8Array(0),
  cookie,
  cipherSuites: [0xc02b, 0xc02f],
  compressionMethods: Uint8Array.of(0),
  extensions: [],
});

describe('stateless cookie (RFC 6347 §4.2.1)', () => {
  it('binds the cookie to the client address and its hello parameters', () => {
    const jar = new CookieJar(nodeProvider);
    jar.tick(0);
    const cookie = jar.make(A, hello(new Uint8Array(0)));
    expect(jar.verify(A, hello(cookie))).toBe(true);
    expect(jar.verify(B, hello(cookie))).toBe(false); // another port
    expect(jar.verify(A, hello(cookie, 2))).toBe(false); // another random
    const tampered = cookie.slice();
    tampered[0]! ^= 1;
    expect(jar.verify(A, hello(tampered))).toBe(false);
  });

  it('rotates its secret: a cookie survives one rotation, not two', () => {
    const jar = new CookieJar(nodeProvider, { rotateMs: 1000 });
    jar.tick(0);
    const cookie = jar.make(A, hello(new Uint8Array(0)));
    jar.tick(1000);
    expect(jar.verify(A, hello(cookie))).toBe(true);
    jar.tick(2000);
    expect(jar.verify(A, hello(cookie))).toBe(false);
  });
});
