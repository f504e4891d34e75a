import { rfcText } from '@x/test-helpers';
import { DecodeError } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { frameEncodingError, QuicError, TransportError, transportErrorName } from './errors.js';

describe('transport error codes (RFC 9000 §20.1)', () => {
  it('match the codes listed in the RFC', () => {
    const section = rfcText(9000).split('20.1.  Transport Error Codes')[2]!.split('20.2.')[0]!;
    const listed = [...section.matchAll(/^ {3}([A-Z_]+) \((0x[0-9a-f]+)(?:-0x[0-9a-f]+)?\):/gm)];
    expect(listed.length).toBeGreaterThanOrEqual(17);
    for (const [, name, code] of listed) {
      expect(TransportError[name as keyof typeof TransportError], name).toBe(Number(code));
    }
  });

  it('carries a TLS alert as CRYPTO_ERROR 0x100 + alert (RFC 9001 §4.8)', () => {
    const e = QuicError.crypto(40, 'handshake_failure');
    expect(e.code).toBe(0x128);
    expect(e.alert).toBe(40);
    expect(e.message).toBe('CRYPTO_ERROR(40): handshake_failure');
    expect(transportErrorName(0x0a)).toBe('PROTOCOL_VIOLATION');
    expect(new QuicError(0x07, 'x').alert).toBeUndefined();
  });

  it('maps a DecodeError inside a frame to FRAME_ENCODING_ERROR with the frame type', () => {
    const e = frameEncodingError(new DecodeError('uint8', 3), 0x1a);
    expect(e.code).toBe(TransportError.FRAME_ENCODING_ERROR);
    expect(e.frameType).toBe(0x1a);
    expect(() => frameEncodingError(new TypeError('bug'), 0)).toThrow(TypeError);
  });
});
