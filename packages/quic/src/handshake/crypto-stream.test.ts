import { rfcHexBlockAfter, rfcSlice, rfcText } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { type QuicError, TransportError } from '../errors.js';
import { decodeFrames } from '../frame/codec.js';
import type { CryptoFrame } from '../frame/crypto.js';
import { CryptoStream } from './crypto-stream.js';

const a2 = rfcSlice(rfcText(9001), 'A.2.  Client Initial', 'A.3.  Server Initial');
const clientHello = (
  decodeFrames(rfcHexBlockAfter(a2, 'make a 1162-byte payload'))[0] as CryptoFrame
).data;

describe('CRYPTO streams (RFC 9000 §19.6, RFC 9001 §4.1.3)', () => {
  it('reassembles a TLS message split over CRYPTO frames that arrive out of order', () => {
    const tx = new CryptoStream();
    tx.write(clientHello);
    const frames: CryptoFrame[] = [];
    for (let f = tx.nextFrame(50); f; f = tx.nextFrame(50)) frames.push(f);
    expect(frames.length).toBe(Math.ceil(clientHello.length / 50));
    const rx = new CryptoStream();
    const out: number[] = [];
    for (const f of [...frames].reverse()) {
      const ready = rx.onCryptoFrame(f);
      if (ready) out.push(...ready);
    }
    expect(Uint8Array.from(out)).toEqual(clientHello);
    // A duplicate delivers nothing new.
    expect(rx.onCryptoFrame(frames[0]!)).toBeUndefined();
  });

  it('resends lost CRYPTO data at the same offsets', () => {
    const tx = new CryptoStream();
    tx.write(clientHello);
    const first = tx.nextFrame(100)!;
    const second = tx.nextFrame(100)!;
    tx.onFrameAcked(second);
    tx.onFrameLost(first);
    const again = tx.nextFrame(1000)!;
    expect(again.offset).toBe(0);
    expect(again.data).toEqual(first.data);
  });

  it('raises CRYPTO_BUFFER_EXCEEDED for data too far ahead (RFC 9000 §7.5)', () => {
    const rx = new CryptoStream(4096);
    rx.onCryptoFrame({ type: 'crypto', offset: 4000, data: new Uint8Array(96) });
    try {
      rx.onCryptoFrame({ type: 'crypto', offset: 4000, data: new Uint8Array(97) });
      expect.unreachable();
    } catch (e) {
      expect((e as QuicError).code).toBe(TransportError.CRYPTO_BUFFER_EXCEEDED);
    }
  });
});
