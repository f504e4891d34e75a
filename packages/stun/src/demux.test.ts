import { rfcText } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { classify, type PacketKind } from './demux.js';

const KIND: Record<string, PacketKind> = {
  STUN: 'stun',
  ZRTP: 'zrtp',
  DTLS: 'dtls',
  'TURN Channel': 'turn-channel',
  'RTP/RTCP': 'rtp',
};

describe('RFC 7983 §7 first-byte demultiplexing', () => {
  it('classifies all 256 first bytes as the NEW TEXT figure says', () => {
    const newText = rfcText(7983).split('NEW TEXT')[1]!;
    const ranges = [
      ...newText.matchAll(/\[(\d+)\.\.(\d+)\] -\+--> forward to ([A-Za-z/ ]+?)\s*$/gm),
    ];
    expect(ranges.length).toBe(5);
    const expected = new Array<PacketKind>(256).fill('other');
    for (const [, lo, hi, name] of ranges) {
      for (let b = Number(lo); b <= Number(hi); b++) expected[b] = KIND[name!.trim()]!;
    }
    for (let b = 0; b < 256; b++)
      expect(classify(Uint8Array.of(b, 0, 0)), `byte ${b}`).toBe(expected[b]);
    expect(classify(new Uint8Array(0))).toBe('other');
  });
});
