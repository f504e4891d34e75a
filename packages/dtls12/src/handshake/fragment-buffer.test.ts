import { Reader } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFragment, FragmentBuffer, planFragments } from './fragment-buffer.js';
import { decodeHandshakeFragment, HANDSHAKE_HEADER_LENGTH } from './messages/handshake-header.js';

const frag = (type: number, seq: number, body: Uint8Array, offset: number, length: number) =>
  decodeHandshakeFragment(new Reader(encodeFragment(type, seq, body, offset, length)));

describe('handshake reassembly (RFC 6347 §4.2.3)', () => {
  it('reassembles out-of-order, duplicated and overlapping fragments (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 3000 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 400 })), { maxLength: 30 }),
        fc.nat(),
        (body, extra, seed) => {
          // A covering set of fragments plus random overlapping ones, shuffled and some duplicated.
          const pieces: [number, number][] = planFragments(body.length, 12 + 97).map((f) => [
            f.offset,
            f.length,
          ]);
          for (const [o, l] of extra) {
            const off = o % body.length;
            pieces.push([off, Math.min(l, body.length - off)]);
          }
          let s = seed;
          const rand = (): number => {
            s = (s * 1103515245 + 12345) >>> 0;
            return s / 2 ** 32;
          };
          const all = pieces.concat(pieces.filter(() => rand() < 0.3));
          for (let i = all.length - 1; i > 0; i--) {
            const j = Math.floor(rand() * (i + 1));
            [all[i], all[j]] = [all[j]!, all[i]!];
          }
          const buf = new FragmentBuffer();
          let out: ReturnType<FragmentBuffer['pop']>;
          for (const [o, l] of all) {
            expect(buf.push(frag(11, 0, body, o, l))).toBe(out === undefined ? 'accepted' : 'old');
            out ??= buf.pop();
          }
          expect(out).toBeDefined();
          expect(out!.body).toEqual(body);
          expect(buf.nextReceiveSeq).toBe(1);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('releases messages strictly in message_seq order and reports older ones as old', () => {
    const buf = new FragmentBuffer();
    const b = Uint8Array.of(1, 2, 3);
    expect(buf.push(frag(12, 1, b, 0, 3))).toBe('accepted');
    expect(buf.pop()).toBeUndefined(); // seq 0 still missing
    expect(buf.push(frag(2, 0, b, 0, 3))).toBe('accepted');
    expect(buf.pop()?.msgType).toBe(2);
    expect(buf.pop()?.msgType).toBe(12);
    expect(buf.push(frag(2, 0, b, 0, 3))).toBe('old');
  });

  it('drops fragments too far ahead or too long', () => {
    const buf = new FragmentBuffer({ maxAhead: 4, maxMessageLength: 100 });
    expect(buf.push(frag(11, 4, new Uint8Array(10), 0, 10))).toBe('dropped');
    expect(buf.push(frag(11, 1, new Uint8Array(101), 0, 10))).toBe('dropped');
  });

  it('a damaged fragment that contradicts a partial message is replaced by the next good copy', () => {
    const buf = new FragmentBuffer();
    const good = Uint8Array.from({ length: 10 }, (_, i) => i);
    expect(buf.push(frag(11, 0, new Uint8Array(11), 0, 5))).toBe('accepted'); // damaged length field
    expect(buf.push(frag(11, 0, good, 5, 5))).toBe('accepted'); // the real message: starts over
    expect(buf.pop()).toBeUndefined();
    expect(buf.push(frag(11, 0, good, 0, 5))).toBe('accepted');
    expect(buf.pop()?.body).toEqual(good);
  });

  it('plans fragments that fit the room given, header included', () => {
    const plan = planFragments(1000, 300);
    expect(plan.every((f) => f.length + HANDSHAKE_HEADER_LENGTH <= 300)).toBe(true);
    expect(plan.reduce((n, f) => n + f.length, 0)).toBe(1000);
    expect(planFragments(0, 300)).toEqual([{ offset: 0, length: 0 }]);
  });
});
