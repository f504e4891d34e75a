import fc from 'fast-check';
import type { Frame } from '../codec.js';

/** Varints kept below 2^53 so they survive a number round trip exactly. */
const v = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const small = fc.integer({ min: 0, max: 2 ** 40 });
const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });

const ackFrame = fc
  .tuple(
    small,
    v,
    fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 })), {
      maxLength: 6,
    }),
    fc.option(fc.record({ ect0: v, ect1: v, ce: v }), { nil: undefined }),
  )
  .map(([top, ackDelay, steps, ecn]) => {
    const ranges: { smallest: number; largest: number }[] = [];
    let largest = top + 10_000_000;
    for (const [gap, len] of [[0, 0] as [number, number], ...steps]) {
      const hi = ranges.length === 0 ? largest : largest - gap - 2;
      if (hi - len < 0) break;
      ranges.push({ smallest: hi - len, largest: hi });
      largest = hi - len;
    }
    return ecn
      ? ({ type: 'ack', ackDelay, ranges, ecn } as const)
      : ({ type: 'ack', ackDelay, ranges } as const);
  });

/** One arbitrary per frame family; STREAM covers all 8 type variants. */
export const frameArbitraries: Record<string, fc.Arbitrary<Frame>> = {
  padding: fc.integer({ min: 1, max: 50 }).map((length) => ({ type: 'padding', length })),
  ping: fc.constant({ type: 'ping' }),
  ack: ackFrame,
  reset_stream: fc.record({
    type: fc.constant('reset_stream' as const),
    streamId: v,
    applicationErrorCode: v,
    finalSize: v,
  }),
  stop_sending: fc.record({
    type: fc.constant('stop_sending' as const),
    streamId: v,
    applicationErrorCode: v,
  }),
  crypto: fc.record({ type: fc.constant('crypto' as const), offset: small, data: bytes(0, 40) }),
  new_token: fc.record({ type: fc.constant('new_token' as const), token: bytes(1, 40) }),
  stream: fc.record({
    type: fc.constant('stream' as const),
    streamId: v,
    offset: fc.oneof(fc.constant(0), small),
    data: bytes(0, 40),
    fin: fc.boolean(),
    explicitLength: fc.boolean(),
  }),
  max_data: fc.record({ type: fc.constant('max_data' as const), maximumData: v }),
  max_stream_data: fc.record({
    type: fc.constant('max_stream_data' as const),
    streamId: v,
    maximumStreamData: v,
  }),
  max_streams: fc.record({
    type: fc.constant('max_streams' as const),
    bidirectional: fc.boolean(),
    maximumStreams: fc.integer({ min: 0, max: 2 ** 50 }),
  }),
  data_blocked: fc.record({ type: fc.constant('data_blocked' as const), maximumData: v }),
  stream_data_blocked: fc.record({
    type: fc.constant('stream_data_blocked' as const),
    streamId: v,
    maximumStreamData: v,
  }),
  streams_blocked: fc.record({
    type: fc.constant('streams_blocked' as const),
    bidirectional: fc.boolean(),
    maximumStreams: fc.integer({ min: 0, max: 2 ** 50 }),
  }),
  new_connection_id: fc
    .tuple(small, small, bytes(1, 20), bytes(16, 16))
    .map(([a, b, connectionId, statelessResetToken]) => ({
      type: 'new_connection_id' as const,
      sequenceNumber: Math.max(a, b),
      retirePriorTo: Math.min(a, b),
      connectionId,
      statelessResetToken,
    })),
  retire_connection_id: fc.record({
    type: fc.constant('retire_connection_id' as const),
    sequenceNumber: v,
  }),
  path_challenge: fc.record({ type: fc.constant('path_challenge' as const), data: bytes(8, 8) }),
  path_response: fc.record({ type: fc.constant('path_response' as const), data: bytes(8, 8) }),
  connection_close: fc
    .record({
      application: fc.boolean(),
      errorCode: v,
      frameType: v,
      reasonPhrase: bytes(0, 30),
    })
    .map((f) => ({
      type: 'connection_close' as const,
      ...f,
      frameType: f.application ? 0 : f.frameType,
    })),
  handshake_done: fc.constant({ type: 'handshake_done' }),
  datagram: fc.record({
    type: fc.constant('datagram' as const),
    data: bytes(0, 40),
    explicitLength: fc.boolean(),
  }),
};

/** Frames that may be followed by others (no length-less data to the packet's end). */
export function selfDelimiting(f: Frame): boolean {
  if (f.type === 'stream' || f.type === 'datagram') return f.explicitLength !== false;
  return f.type !== 'padding';
}
