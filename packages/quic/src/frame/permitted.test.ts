import { rfcText } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { QuicError, TransportError } from '../errors.js';
import {
  checkFramePermitted,
  decodePacketPayload,
  type FramePacketType,
  isFramePermitted,
} from './permitted.js';

/** Rows of RFC 9000 §12.4 Table 3: "| 0x02-0x03 | ACK | Section 19.3 | IH_1 | NC |". */
function table3(): { from: number; to: number; name: string; pkts: string }[] {
  const text = rfcText(9000);
  const start = text.indexOf('| Type Value | Frame Type Name');
  const end = text.indexOf('Table 3: Frame Types');
  const rows = [];
  for (const line of text.slice(start, end).split('\n')) {
    const m =
      /^\s*\| (0x[0-9a-f]+)(?:-(0x[0-9a-f]+))?\s*\| (\S+)\s*\| Section [\d.]+\s*\| (\S+)\s*\|/.exec(
        line,
      );
    if (m) rows.push({ from: Number(m[1]), to: Number(m[2] ?? m[1]), name: m[3]!, pkts: m[4]! });
  }
  return rows;
}

describe('RFC 9000 §12.4 Table 3', () => {
  const rows = table3();

  it('is read from the RFC with all 20 frame families', () => {
    expect(rows.length).toBe(20);
  });

  for (const row of rows) {
    it(`${row.name} (${row.pkts})`, () => {
      for (let t = row.from; t <= row.to; t++) {
        // "ih": only CONNECTION_CLOSE 0x1c may appear in Initial or Handshake.
        const ih = row.pkts.startsWith('ih') ? t === 0x1c : false;
        const expected: Record<FramePacketType, boolean> = {
          initial: row.pkts[0] === 'I' || ih,
          handshake: row.pkts[1] === 'H' || ih,
          '0rtt': row.pkts[2] === '0',
          '1rtt': row.pkts[3] === '1',
        };
        for (const [p, allowed] of Object.entries(expected)) {
          expect(isFramePermitted(t, p as FramePacketType), `0x${t.toString(16)} in ${p}`).toBe(
            allowed,
          );
        }
      }
    });
  }

  it('DATAGRAM (RFC 9221 §4) only in 0-RTT and 1-RTT', () => {
    for (const t of [0x30, 0x31]) {
      expect(isFramePermitted(t, 'initial')).toBe(false);
      expect(isFramePermitted(t, 'handshake')).toBe(false);
      expect(isFramePermitted(t, '0rtt')).toBe(true);
      expect(isFramePermitted(t, '1rtt')).toBe(true);
    }
  });
});

describe('enforcement', () => {
  function code(f: () => void): number {
    try {
      f();
    } catch (e) {
      if (e instanceof QuicError) return e.code;
      throw e;
    }
    return -1;
  }

  it('a STREAM frame in an Initial packet is a PROTOCOL_VIOLATION', () => {
    const payload = new Uint8Array([0x0a, 0x00, 0x01, 0x61]);
    expect(code(() => decodePacketPayload(payload, 'initial', 'server', () => {}))).toBe(
      TransportError.PROTOCOL_VIOLATION,
    );
    const seen: string[] = [];
    decodePacketPayload(payload, '1rtt', 'server', (f) => seen.push(f.type));
    expect(seen).toEqual(['stream']);
  });

  it('an ACK in 0-RTT, an empty payload, and HANDSHAKE_DONE or NEW_TOKEN sent to a server are PROTOCOL_VIOLATIONs', () => {
    const pv = TransportError.PROTOCOL_VIOLATION;
    expect(
      code(() => decodePacketPayload(new Uint8Array([2, 0, 0, 0, 0]), '0rtt', 'server', () => {})),
    ).toBe(pv);
    expect(code(() => decodePacketPayload(new Uint8Array(0), '1rtt', 'client', () => {}))).toBe(pv);
    expect(code(() => checkFramePermitted(0x1e, '1rtt', 'server'))).toBe(pv);
    expect(code(() => checkFramePermitted(0x07, '1rtt', 'server'))).toBe(pv);
    expect(code(() => checkFramePermitted(0x1e, '1rtt', 'client'))).toBe(-1);
  });
});
