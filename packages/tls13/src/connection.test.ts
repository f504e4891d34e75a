import { describe, expect, it } from 'vitest';
import { connectPair, pump, text } from './testing/pair.js';

const enc = new TextEncoder();

describe('client and server in memory', () => {
  it('complete a handshake and exchange data', () => {
    const { client, server, clientGot, serverGot } = connectPair(
      { alpnProtocols: ['h2', 'x'] },
      { alpnProtocols: ['x'] },
    );
    expect(client.error).toBeUndefined();
    expect(server.error).toBeUndefined();
    expect(client.handshakeComplete).toBe(true);
    expect(server.handshakeComplete).toBe(true);
    expect(client.alpnProtocol).toBe('x');
    expect(server.alpnProtocol).toBe('x');
    expect(client.cipherSuite).toBe('TLS_AES_128_GCM_SHA256');
    expect(client.group).toBe('x25519');
    client.write(enc.encode('hello'));
    pump(client, server);
    expect(text(serverGot.data)).toBe('hello');
    server.write(enc.encode('world'));
    pump(client, server);
    expect(text(clientGot.data)).toBe('world');
    const label = 'EXPERIMENTAL-test';
    expect(client.exportKeyingMaterial(label, new Uint8Array(3), 32)).toEqual(
      server.exportKeyingMaterial(label, new Uint8Array(3), 32),
    );
  });
});
