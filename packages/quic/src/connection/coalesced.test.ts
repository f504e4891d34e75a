/**
 * RFC 9000 §12.2: "Receivers SHOULD ignore any subsequent packets with a
 * different Destination Connection ID than the first packet in the datagram."
 * The packet under test is one the client could otherwise open: sealed with the
 * server's real 1-RTT keys (from its key log) and addressed to another of the
 * client's own connection IDs.
 */
import { getCipherSuite, nodeProvider } from '@x/crypto';
import { fromHex } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { rawPair } from '../endpoint/test-support/harness.js';
import { buildPacket } from '../packet/builder.js';
import { QUIC_V1 } from '../packet/header.js';
import { PacketProtection } from '../packet/protection.js';

describe('coalesced packets (RFC 9000 §12.2)', () => {
  it('a packet after the first with another Destination Connection ID is ignored', () => {
    const keyLog: string[] = [];
    const { client, server } = rawPair(61, {}, { keyLog: (l) => keyLog.push(l) });
    expect(client.isEstablished).toBe(true);
    const line = keyLog.find((l) => l.startsWith('SERVER_TRAFFIC_SECRET_0 '))!;
    const suite = getCipherSuite('tls13', 0x1301)!;
    expect(server().cipherSuite).toBe(suite.name);
    const serverKeys = PacketProtection.fromSecret(
      nodeProvider,
      suite,
      fromHex(line.split(' ')[2]!),
    );
    const [cid0, cid1] = client.localConnectionIds;
    expect(cid1).toBeDefined();
    // A first packet the client cannot open (keys it never had), routed by cid0.
    const first = buildPacket({
      header: { type: 'handshake', version: QUIC_V1, dcid: cid0!, scid: server().sourceCid },
      packetNumber: 0,
      largestAcked: undefined,
      frames: [{ type: 'ping' }],
      protection: PacketProtection.fromSecret(nodeProvider, suite, nodeProvider.randomBytes(32)),
    }).packet;
    const oneRtt = (dcid: Uint8Array, packetNumber: number) =>
      buildPacket({
        header: { type: '1rtt', dcid, keyPhase: 0 },
        packetNumber,
        largestAcked: undefined,
        frames: [{ type: 'ping' }],
        protection: serverKeys,
      }).packet;
    const path = { from: server().remoteAddress, to: client.remoteAddress };
    const datagram = (second: Uint8Array) => {
      const d = new Uint8Array(first.length + second.length);
      d.set(first);
      d.set(second, first.length);
      return d;
    };
    const before = client.stats.packetsReceived;
    client.recv(datagram(oneRtt(cid1!, 1000)), path, 10_000);
    expect(client.stats.packetsReceived).toBe(before);
    // The same packet to the first packet's DCID is opened: the construction is sound.
    client.recv(datagram(oneRtt(cid0!, 1001)), path, 10_001);
    expect(client.stats.packetsReceived).toBe(before + 1);
    expect(client.isClosing).toBe(false);
  });
});
