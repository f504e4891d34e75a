import { describe, expect, it } from 'vitest';
import { QuicError, TransportError } from '../errors.js';
import {
  isBidirectional,
  isClientInitiated,
  StreamMap,
  streamId,
  streamIndex,
} from './stream-map.js';

function code(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    if (e instanceof QuicError) return e.code;
    throw e;
  }
  return -1;
}

describe('stream IDs (RFC 9000 §2.1)', () => {
  it('encodes initiator and direction in the two low bits', () => {
    // Table 1: 0x00 client bidi, 0x01 server bidi, 0x02 client uni, 0x03 server uni.
    expect([0, 1, 2, 3].map((id) => [isClientInitiated(id), isBidirectional(id)])).toEqual([
      [true, true],
      [false, true],
      [true, false],
      [false, false],
    ]);
    expect(streamId(5, false, false)).toBe(23);
    expect(streamIndex(23)).toBe(5);
  });
});

describe('StreamMap (RFC 9000 §3, §4.6)', () => {
  const make = (role: 'client' | 'server') =>
    new StreamMap<{ id: number; local: boolean }>({
      role,
      maxRemoteBidi: 4,
      maxRemoteUni: 2,
      create: (id, local) => ({ id, local }),
    });

  it('opens our streams within the peer MAX_STREAMS and reports when blocked', () => {
    const m = make('client');
    expect(m.open(true)).toBeUndefined();
    m.onMaxStreams(true, 2);
    expect(m.open(true)!.id).toBe(0);
    expect(m.open(true)!.id).toBe(4);
    expect(m.open(true)).toBeUndefined();
    m.onMaxStreams(true, 1); // smaller limits are ignored
    expect(m.available(true)).toBe(0);
    m.onMaxStreams(false, 1);
    expect(m.open(false)!.id).toBe(2);
  });

  it('opens peer streams with every lower one of the type (§3.2) and enforces our limit', () => {
    const m = make('server');
    const s = m.forPeerFrame(8, 'receive', 0x08)!;
    expect(s).toEqual({ id: 8, local: false });
    expect(m.size).toBe(3); // 0, 4, 8
    expect(code(() => m.forPeerFrame(16, 'receive', 0x08))).toBe(TransportError.STREAM_LIMIT_ERROR);
    expect(m.forPeerFrame(6, 'receive', 0x08)!.id).toBe(6);
    expect(code(() => m.forPeerFrame(10, 'receive', 0x08))).toBe(TransportError.STREAM_LIMIT_ERROR);
  });

  it('rejects frames for a part that does not exist or a local stream not opened (STREAM_STATE_ERROR)', () => {
    const m = make('server');
    const S = TransportError.STREAM_STATE_ERROR;
    expect(code(() => m.forPeerFrame(2, 'send', 0x11))).toBe(S); // MAX_STREAM_DATA on client uni
    expect(code(() => m.forPeerFrame(3, 'receive', 0x08))).toBe(S); // STREAM on our own uni
    expect(code(() => m.forPeerFrame(1, 'receive', 0x08))).toBe(S); // our bidi not opened yet
  });

  it('raises MAX_STREAMS as peer streams close', () => {
    const m = make('server');
    for (const id of [0, 4, 8, 12]) m.forPeerFrame(id, 'receive', 0x08);
    expect(m.close(0)).toBeUndefined();
    expect(m.close(4)).toBe(6);
    expect(m.forPeerFrame(20, 'receive', 0x08)!.id).toBe(20);
    expect(m.forPeerFrame(4, 'receive', 0x08)).toBeUndefined(); // closed and forgotten
  });
});
