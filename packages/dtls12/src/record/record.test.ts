import { DecodeError } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ContentType,
  DTLS1_2,
  decodeRecords,
  encodeRecord,
  RECORD_HEADER_LENGTH,
} from './record.js';

describe('DTLS record header (RFC 6347 §4.1)', () => {
  it('encodes type, version, epoch, 48-bit sequence and length in the RFC order', () => {
    const rec = encodeRecord(
      ContentType.handshake,
      DTLS1_2,
      1,
      0x0102_0304_0506,
      Uint8Array.of(9, 8),
    );
    expect(Array.from(rec.subarray(0, RECORD_HEADER_LENGTH))).toEqual([
      22, 0xfe, 0xfd, 0, 1, 1, 2, 3, 4, 5, 6, 0, 2,
    ]);
  });

  it('splits several records sharing one datagram', () => {
    const a = encodeRecord(ContentType.handshake, DTLS1_2, 0, 7, Uint8Array.of(1, 2, 3));
    const b = encodeRecord(ContentType.change_cipher_spec, DTLS1_2, 0, 8, Uint8Array.of(1));
    const c = encodeRecord(ContentType.handshake, DTLS1_2, 1, 0, new Uint8Array(40));
    const recs = decodeRecords(Uint8Array.from([...a, ...b, ...c]));
    expect(recs.map((r) => [r.type, r.epoch, r.sequenceNumber, r.fragment.length])).toEqual([
      [22, 0, 7, 3],
      [20, 0, 8, 1],
      [22, 1, 0, 40],
    ]);
  });

  it('rejects a non-DTLS version and a record longer than the datagram', () => {
    const ok = encodeRecord(ContentType.alert, DTLS1_2, 0, 0, Uint8Array.of(1, 0));
    const tls = ok.slice();
    tls[1] = 0x03;
    expect(() => decodeRecords(tls)).toThrow(DecodeError);
    expect(() => decodeRecords(ok.subarray(0, ok.length - 1))).toThrow(DecodeError);
  });

  it('round-trips any record (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 2 ** 48 - 1 }),
        fc.uint8Array({ maxLength: 300 }),
        (type, epoch, seq, body) => {
          const [r] = decodeRecords(encodeRecord(type, DTLS1_2, epoch, seq, body));
          expect(r).toMatchObject({ type, epoch, sequenceNumber: seq, version: DTLS1_2 });
          expect(r!.fragment).toEqual(body);
        },
      ),
    );
  });

  it('raises only DecodeError on arbitrary bytes and truncations (fast-check)', () => {
    const valid = encodeRecord(ContentType.handshake, DTLS1_2, 0, 1, new Uint8Array(20));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.integer({ min: 0, max: valid.length - 1 }).map((n) => valid.subarray(0, n)),
        ),
        (bytes) => {
          try {
            decodeRecords(bytes);
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
          }
        },
      ),
    );
  });
});
