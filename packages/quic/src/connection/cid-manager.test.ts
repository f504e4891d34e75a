import { nodeProvider } from '@x/crypto';
import { hex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { QuicError, TransportError } from '../errors.js';
import type { NewConnectionIdFrame } from '../frame/new-connection-id.js';
import { encodeStatelessReset, LocalCids, PeerCids, statelessResetToken } from './cid-manager.js';

function code(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    if (e instanceof QuicError) return e.code;
    throw e;
  }
  return -1;
}

const key = new Uint8Array(32).fill(7);
const gen = (seq: number) => {
  const connectionId = new Uint8Array(8).fill(seq);
  return {
    connectionId,
    statelessResetToken: statelessResetToken(nodeProvider, key, connectionId),
  };
};

function ncid(seq: number, retirePriorTo = 0, fill = seq): NewConnectionIdFrame {
  return {
    type: 'new_connection_id',
    sequenceNumber: seq,
    retirePriorTo,
    connectionId: new Uint8Array(4).fill(fill),
    statelessResetToken: new Uint8Array(16).fill(0x80 + seq),
  };
}

describe('our connection IDs (RFC 9000 §5.1)', () => {
  it('issues up to the peer active_connection_id_limit and replaces retired ones', () => {
    const local = new LocalCids(hex('aabbccdd'), gen);
    expect(local.replenish().map((f) => f.sequenceNumber)).toEqual([1]); // default limit 2
    local.setPeerLimit(4);
    expect(local.replenish().map((f) => f.sequenceNumber)).toEqual([2, 3]);
    expect(local.replenish()).toEqual([]);
    expect(local.retire(1, hex('aabbccdd'))!.sequenceNumber).toBe(1);
    expect(local.replenish().map((f) => f.sequenceNumber)).toEqual([4]);
    expect(local.active.length).toBe(4);
  });

  it('rejects retiring an unissued sequence or the ID the frame arrived on', () => {
    const local = new LocalCids(hex('aabbccdd'), gen);
    local.replenish();
    expect(code(() => local.retire(5, hex('00')))).toBe(TransportError.PROTOCOL_VIOLATION);
    expect(code(() => local.retire(0, hex('aabbccdd')))).toBe(TransportError.PROTOCOL_VIOLATION);
  });

  it('never issues more IDs when ours is zero-length', () => {
    const local = new LocalCids(new Uint8Array(0), gen);
    local.setPeerLimit(8);
    expect(local.replenish()).toEqual([]);
  });

  it('derives stateless reset tokens from a static key and the ID (§10.3.2)', () => {
    const a = statelessResetToken(nodeProvider, key, hex('01'));
    expect(a.length).toBe(16);
    expect(statelessResetToken(nodeProvider, key, hex('01'))).toEqual(a);
    expect(statelessResetToken(nodeProvider, key, hex('02'))).not.toEqual(a);
  });
});

describe("the peer's connection IDs (RFC 9000 §5.1.1, §19.15)", () => {
  it('stores new IDs within our limit, else CONNECTION_ID_LIMIT_ERROR', () => {
    const peer = new PeerCids(hex('01020304'), 3);
    peer.onNewConnectionId(ncid(1));
    peer.onNewConnectionId(ncid(2));
    peer.onNewConnectionId(ncid(2)); // a repeat is fine
    expect(peer.activeCount).toBe(3);
    expect(code(() => peer.onNewConnectionId(ncid(3)))).toBe(
      TransportError.CONNECTION_ID_LIMIT_ERROR,
    );
  });

  it('retires IDs below Retire Prior To and switches away from a retired current ID', () => {
    const peer = new PeerCids(hex('01020304'), 4);
    peer.onNewConnectionId(ncid(1));
    peer.onNewConnectionId(ncid(2, 2));
    expect(peer.takeRetirements().sort()).toEqual([0, 1]);
    expect(peer.current.sequenceNumber).toBe(2);
    peer.onNewConnectionId(ncid(1)); // arrives late, already retired
    expect(peer.takeRetirements()).toEqual([1]);
  });

  it('rejects a sequence number reused for another ID, and an ID reused under another number', () => {
    const peer = new PeerCids(hex('01020304'), 4);
    peer.onNewConnectionId(ncid(1));
    expect(code(() => peer.onNewConnectionId(ncid(1, 0, 9)))).toBe(
      TransportError.PROTOCOL_VIOLATION,
    );
    expect(code(() => peer.onNewConnectionId(ncid(2, 0, 1)))).toBe(
      TransportError.PROTOCOL_VIOLATION,
    );
  });

  it('detects a stateless reset by the token in the last 16 bytes (§10.3.1)', () => {
    const peer = new PeerCids(hex('01020304'), 4);
    peer.onNewConnectionId(ncid(1));
    const token = ncid(1).statelessResetToken;
    const reset = encodeStatelessReset(nodeProvider, token, 1200)!;
    expect(reset.length).toBe(43);
    expect(reset[0]! & 0xc0).toBe(0x40);
    expect(peer.isStatelessReset(reset)).toBe(true);
    const other = reset.slice();
    other[other.length - 1] = other[other.length - 1]! ^ 1;
    expect(peer.isStatelessReset(other)).toBe(false);
    expect(peer.isStatelessReset(reset.subarray(reset.length - 20))).toBe(false);
    // §10.3.3: smaller than the packet that triggered it, and never under 21 bytes.
    expect(encodeStatelessReset(nodeProvider, token, 30)!.length).toBe(29);
    expect(encodeStatelessReset(nodeProvider, token, 21)).toBeUndefined();
  });
});
