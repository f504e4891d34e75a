import { hex, rfcHexBlockAfter, rfcSlice, rfcText } from '@x/test-helpers';
import { Writer } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuicError, TransportError } from './errors.js';
import { decodeFrames } from './frame/codec.js';
import {
  DEFAULT_TRANSPORT_PARAMETERS,
  decodeTransportParameters,
  encodeTransportParameters,
  type TransportParameters,
  validateConnectionIdParameters,
} from './transport-parameters.js';

function tp(...params: [number, number[]][]): Uint8Array {
  const w = new Writer(64);
  for (const [id, value] of params) w.varint(id).varintVector(new Uint8Array(value));
  return w.finish().slice();
}

function code(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    if (e instanceof QuicError) return e.code;
    throw e;
  }
  return -1;
}

const TPE = TransportError.TRANSPORT_PARAMETER_ERROR;

/** The quic_transport_parameters extension (0x0039) of the RFC 9001 A.2 ClientHello. */
function rfcClientParameters(): Uint8Array {
  const a2 = rfcSlice(rfcText(9001), 'A.2.  Client Initial', 'A.3.  Server Initial');
  const crypto = decodeFrames(rfcHexBlockAfter(a2, 'make a 1162-byte payload'))[0] as {
    data: Uint8Array;
  };
  const ch = crypto.data;
  for (let i = 0; i + 4 < ch.length; i++) {
    if (ch[i] === 0x00 && ch[i + 1] === 0x39) {
      const n = (ch[i + 2]! << 8) | ch[i + 3]!;
      if (i + 4 + n === ch.length) return ch.subarray(i + 4, i + 4 + n);
    }
  }
  throw new Error('no quic_transport_parameters extension at the end of the ClientHello');
}

describe('transport parameters (RFC 9000 §18)', () => {
  it('decodes the client parameters of the RFC 9001 A.2 ClientHello and re-encodes them', () => {
    const bytes = rfcClientParameters();
    const p = decodeTransportParameters(bytes, 'client');
    // Spot values against the raw TLVs: 0x01 max_idle_timeout = 0x80007530, 0x08 = 0x10.
    expect(p.maxIdleTimeout).toBe(0x7530);
    expect(p.initialMaxStreamsBidi).toBe(0x10);
    expect(p.initialMaxStreamsUni).toBe(0x10);
    expect(p.initialMaxStreamDataBidiLocal).toBe(0xffff);
    // 0x04 initial_max_data is 2^62-1 on the wire: unlimited, held as 2^53-1.
    expect(p.initialMaxData).toBe(Number.MAX_SAFE_INTEGER);
    expect(p.initialSourceConnectionId).toEqual(hex('8394c8f03e515708'));
    expect(p.ackDelayExponent).toBe(DEFAULT_TRANSPORT_PARAMETERS.ackDelayExponent);
    const again = decodeTransportParameters(encodeTransportParameters(p, 'client'), 'client');
    expect(again).toEqual(p);
  });

  it('round-trips arbitrary valid parameter sets', () => {
    const n = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
    const cid = fc.uint8Array({ maxLength: 20 });
    const params = fc.record(
      {
        maxIdleTimeout: n,
        maxUdpPayloadSize: fc.integer({ min: 1200, max: 65527 }),
        initialMaxData: n,
        initialMaxStreamDataBidiLocal: n,
        initialMaxStreamDataBidiRemote: n,
        initialMaxStreamDataUni: n,
        initialMaxStreamsBidi: fc.integer({ min: 0, max: 2 ** 50 }),
        initialMaxStreamsUni: fc.integer({ min: 0, max: 2 ** 50 }),
        ackDelayExponent: fc.integer({ min: 0, max: 20 }),
        maxAckDelay: fc.integer({ min: 0, max: 2 ** 14 - 1 }),
        disableActiveMigration: fc.boolean(),
        activeConnectionIdLimit: fc.integer({ min: 2, max: 1000 }),
        initialSourceConnectionId: cid,
        originalDestinationConnectionId: cid,
        retrySourceConnectionId: cid,
        statelessResetToken: fc.uint8Array({ minLength: 16, maxLength: 16 }),
        maxDatagramFrameSize: n,
        preferredAddress: fc.record({
          ipv4Address: fc.uint8Array({ minLength: 4, maxLength: 4 }),
          ipv4Port: fc.integer({ min: 0, max: 65535 }),
          ipv6Address: fc.uint8Array({ minLength: 16, maxLength: 16 }),
          ipv6Port: fc.integer({ min: 0, max: 65535 }),
          connectionId: fc.uint8Array({ minLength: 1, maxLength: 20 }),
          statelessResetToken: fc.uint8Array({ minLength: 16, maxLength: 16 }),
        }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(params, (p: Partial<TransportParameters>) => {
        const decoded = decodeTransportParameters(encodeTransportParameters(p, 'server'), 'server');
        expect(decoded).toEqual({
          ...DEFAULT_TRANSPORT_PARAMETERS,
          ...p,
          disableActiveMigration: !!p.disableActiveMigration,
        });
      }),
      { numRuns: 300 },
    );
  });

  it('validates the §18.2 ranges', () => {
    expect(code(() => decodeTransportParameters(tp([0x03, [0x44, 0xaf]]), 'client'))).toBe(TPE); // 1199
    expect(decodeTransportParameters(tp([0x03, [0x44, 0xb0]]), 'client').maxUdpPayloadSize).toBe(
      1200,
    );
    expect(code(() => decodeTransportParameters(tp([0x0a, [21]]), 'client'))).toBe(TPE);
    expect(decodeTransportParameters(tp([0x0a, [20]]), 'client').ackDelayExponent).toBe(20);
    expect(code(() => decodeTransportParameters(tp([0x0b, [0x80, 0, 0x40, 0]]), 'client'))).toBe(
      TPE,
    ); // 2^14
    expect(decodeTransportParameters(tp([0x0b, [0x7f, 0xff]]), 'client').maxAckDelay).toBe(
      2 ** 14 - 1,
    );
    expect(code(() => decodeTransportParameters(tp([0x0e, [1]]), 'client'))).toBe(TPE);
    expect(code(() => decodeTransportParameters(tp([0x02, new Array(15).fill(1)]), 'server'))).toBe(
      TPE,
    );
    expect(code(() => decodeTransportParameters(tp([0x0f, new Array(21).fill(1)]), 'server'))).toBe(
      TPE,
    );
    expect(code(() => decodeTransportParameters(tp([0x0c, [0]]), 'server'))).toBe(TPE);
    expect(
      code(() => decodeTransportParameters(tp([0x08, [0xd0, 0, 0, 0, 0, 0, 0, 1]]), 'server')),
    ).toBe(TPE);
  });

  it('rejects an integer whose varint does not fill its length, and truncation', () => {
    expect(code(() => decodeTransportParameters(tp([0x01, [5, 0]]), 'client'))).toBe(TPE);
    expect(code(() => decodeTransportParameters(tp([0x01, []]), 'client'))).toBe(TPE);
    expect(
      code(() => decodeTransportParameters(new Uint8Array([0x01, 0x04, 0x80]), 'client')),
    ).toBe(TPE);
  });

  it('rejects duplicates and server-only parameters from a client', () => {
    expect(code(() => decodeTransportParameters(tp([0x01, [5]], [0x01, [5]]), 'client'))).toBe(TPE);
    for (const id of [0x00, 0x02, 0x0d, 0x10]) {
      const value = id === 0x02 ? new Array(16).fill(7) : [1, 2];
      expect(
        code(() => decodeTransportParameters(tp([id, value]), 'client')),
        `0x${id.toString(16)}`,
      ).toBe(TPE);
    }
    expect(
      decodeTransportParameters(tp([0x02, new Array(16).fill(7)]), 'server').statelessResetToken,
    ).toEqual(new Uint8Array(16).fill(7));
  });

  it('ignores unknown and GREASE (31 * N + 27) parameters', () => {
    const p = decodeTransportParameters(
      tp([31 * 5 + 27, [1, 2, 3]], [0x4242, []], [0x01, [9]]),
      'client',
    );
    expect(p.maxIdleTimeout).toBe(9);
  });

  it('decodes a preferred_address and rejects one with an empty connection ID', () => {
    const addr = [127, 0, 0, 1, 0x11, 0x5c, ...new Array(15).fill(0), 1, 0x11, 0x5d];
    const ok = tp([0x0d, [...addr, 4, 1, 2, 3, 4, ...new Array(16).fill(9)]]);
    const pa = decodeTransportParameters(ok, 'server').preferredAddress!;
    expect(Array.from(pa.ipv4Address)).toEqual([127, 0, 0, 1]);
    expect(pa.ipv4Port).toBe(0x115c);
    expect(pa.ipv6Address[15]).toBe(1);
    expect(pa.ipv6Port).toBe(0x115d);
    expect(Array.from(pa.connectionId)).toEqual([1, 2, 3, 4]);
    expect(pa.statelessResetToken).toEqual(new Uint8Array(16).fill(9));
    const empty = tp([0x0d, [...addr, 0, ...new Array(16).fill(9)]]);
    expect(code(() => decodeTransportParameters(empty, 'server'))).toBe(TPE);
  });

  it('random bytes only raise TRANSPORT_PARAMETER_ERROR', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.boolean(), (bytes, server) => {
        const c = code(() => decodeTransportParameters(bytes, server ? 'server' : 'client'));
        expect([-1, TPE]).toContain(c);
      }),
      { numRuns: 3000 },
    );
    const valid = rfcClientParameters();
    for (let n = 0; n < valid.length; n++) {
      expect([-1, TPE]).toContain(
        code(() => decodeTransportParameters(valid.subarray(0, n), 'client')),
      );
    }
  });
});

describe('connection ID authentication (RFC 9000 §7.3)', () => {
  const S1 = hex('0101');
  const S2 = hex('0202');
  const S3 = hex('0303');
  const base = DEFAULT_TRANSPORT_PARAMETERS;

  it('accepts matching IDs with and without Retry (Figures 7 and 8)', () => {
    const noRetry = { ...base, initialSourceConnectionId: S3, originalDestinationConnectionId: S1 };
    validateConnectionIdParameters(noRetry, 'server', {
      initialSourceConnectionId: S3,
      originalDestinationConnectionId: S1,
    });
    const retry = { ...noRetry, retrySourceConnectionId: S2 };
    validateConnectionIdParameters(retry, 'server', {
      initialSourceConnectionId: S3,
      originalDestinationConnectionId: S1,
      retrySourceConnectionId: S2,
    });
  });

  it('rejects missing, mismatched or unexpected IDs', () => {
    const seen = { initialSourceConnectionId: S3, originalDestinationConnectionId: S1 };
    const ok = { ...base, initialSourceConnectionId: S3, originalDestinationConnectionId: S1 };
    expect(code(() => validateConnectionIdParameters(base, 'client', seen))).toBe(TPE);
    expect(
      code(() =>
        validateConnectionIdParameters({ ...ok, initialSourceConnectionId: S2 }, 'server', seen),
      ),
    ).toBe(TPE);
    expect(
      code(() =>
        validateConnectionIdParameters(
          { ...ok, originalDestinationConnectionId: S2 },
          'server',
          seen,
        ),
      ),
    ).toBe(TPE);
    expect(
      code(() =>
        validateConnectionIdParameters({ ...ok, retrySourceConnectionId: S2 }, 'server', seen),
      ),
    ).toBe(TPE);
    expect(
      code(() =>
        validateConnectionIdParameters(ok, 'server', { ...seen, retrySourceConnectionId: S2 }),
      ),
    ).toBe(TPE);
  });
});
