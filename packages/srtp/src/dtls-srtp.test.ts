import { toHex } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { dtlsSrtpContexts } from './dtls-srtp.js';
import { rtcpRr, rtp } from './test-support/packets.js';

describe('DTLS-SRTP contexts from an exporter (RFC 5764 §4.2)', () => {
  it('asks for the profile length with the RFC label and pairs client and server keys', () => {
    const asked: [string, Uint8Array | undefined, number][] = [];
    const exporter = {
      exportKeyingMaterial(label: string, context: Uint8Array | undefined, length: number) {
        asked.push([label, context, length]);
        return Uint8Array.from({ length }, (_, i) => i * 3);
      },
    };
    const client = dtlsSrtpContexts(exporter, 'SRTP_AEAD_AES_256_GCM', 'client');
    const server = dtlsSrtpContexts(exporter, 'SRTP_AEAD_AES_256_GCM', 'server');
    expect(asked).toEqual([
      ['EXTRACTOR-dtls_srtp', undefined, 88],
      ['EXTRACTOR-dtls_srtp', undefined, 88],
    ]);
    const p = rtp(1);
    expect(toHex(server.inbound.rtp.unprotect(client.outbound.rtp.protect(p)))).toBe(toHex(p));
    expect(toHex(client.inbound.rtp.unprotect(server.outbound.rtp.protect(p)))).toBe(toHex(p));
    expect(toHex(client.inbound.rtcp.unprotect(server.outbound.rtcp.protect(rtcpRr(4))))).toBe(
      toHex(rtcpRr(4)),
    );
    // A side cannot read its own traffic: the directions use different keys.
    expect(() => client.inbound.rtp.unprotect(client.outbound.rtp.protect(rtp(2)))).toThrow(
      /authentication/,
    );
  });
});
