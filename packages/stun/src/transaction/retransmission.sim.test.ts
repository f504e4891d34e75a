/**
 * The client transaction's retransmission schedule (RFC 8489 §6.2.1) in virtual
 * time on @x/wire's SimNetwork, against our BindingServer.
 */
import { nodeProvider } from '@x/crypto';
import { rfcText } from '@x/test-helpers';
import { SimNetwork, type SocketAddress } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { decodeXorAddress } from '../message/attributes/address.js';
import { AttributeType as T } from '../message/attributes/types.js';
import { decodeUnknownAttributes } from '../message/attributes/unknown-attributes.js';
import { findAttribute } from '../message/lookup.js';
import { BindingServer } from '../server/binding-server.js';
import { StunClient } from './client.js';
import type { TransactionOutcome } from './transaction.js';

const client: SocketAddress = { address: '192.0.2.10', port: 50000, family: 'IPv4' };
const server: SocketAddress = { address: '198.51.100.1', port: 3478, family: 'IPv4' };

/** "requests would be sent at times 0 ms, 500 ms, ... If the client has not received a response after 39500 ms" */
function rfcSchedule(): { sends: number[]; timeout: number } {
  const text = rfcText(8489).replace(/\s+/g, ' ');
  const m =
    /requests would be sent at times (.*?)\. If the client has not received a response after (\d+) ms/.exec(
      text,
    )!;
  return {
    sends: [...m[1]!.matchAll(/(\d+) ms/g)].map((x) => Number(x[1])),
    timeout: Number(m[2]),
  };
}

function setup(seed: number, conditions: Parameters<SimNetwork['link']>[2]) {
  const net = new SimNetwork({ seed });
  net.link(client, server, conditions);
  const stun = new StunClient();
  const binding = new BindingServer();
  net.addEndpoint(binding, server);
  return { net, stun, binding };
}

describe('client transaction retransmissions (RFC 8489 §6.2.1)', () => {
  it('sends at 0, 500, 1500, 3500, 7500, 15500, 31500 ms and times out at 39500 ms when all is lost', () => {
    const schedule = rfcSchedule();
    expect(schedule.sends).toHaveLength(7); // Rc = 7
    const { net, stun } = setup(1, { delayMs: 10, loss: 1 });
    let outcome: TransactionOutcome | undefined;
    let at: number | undefined;
    const tx = stun.request(server, {
      onComplete: (o) => {
        outcome = o;
        at = net.now;
      },
    });
    net.addEndpoint(stun, client);
    net.run({ until: 100_000 });
    expect(tx.sendTimes).toEqual(schedule.sends);
    const wire = net.trace.filter((e) => e.kind === 'send').map((e) => e.t);
    expect(wire).toEqual(schedule.sends);
    expect(outcome).toEqual({ kind: 'timeout' });
    expect(at).toBe(schedule.timeout);
    expect(tx.completedAt).toBe(schedule.timeout);
    expect(stun.pending).toBe(0);
    expect(stun.nextDeadline()).toBeUndefined();
  });

  it('follows a configured RTO, Rc and Rm', () => {
    const { net, stun } = setup(2, { loss: 1 });
    const tx = stun.request(server, { rto: 100, rc: 3, rm: 4 });
    net.addEndpoint(stun, client);
    net.run({ until: 10_000 });
    expect(tx.sendTimes).toEqual([0, 100, 300]);
    expect(tx.completedAt).toBe(300 + 4 * 100);
  });

  it('succeeds on the 4th copy when the first three are lost; no RTT sample (Karn)', () => {
    const { net, stun } = setup(3, {
      delayMs: 20,
      drop: (d) => d.from.port === client.port && d.index <= 3,
    });
    const tx = stun.request(server);
    net.addEndpoint(stun, client);
    net.run({ until: 100_000 });
    expect(tx.sendTimes).toEqual(rfcSchedule().sends.slice(0, 4));
    const o = tx.outcome!;
    expect(o.kind).toBe('success');
    if (o.kind !== 'success') return;
    expect(o.rtt).toBeUndefined();
    expect(tx.completedAt).toBe(3500 + 40);
    const mapped = decodeXorAddress(
      findAttribute(o.response, T.XOR_MAPPED_ADDRESS)!.value,
      o.response.transactionId,
    );
    expect(mapped).toEqual(client);
  });

  it('under 50% loss each way, every send follows the schedule and each success maps the client', () => {
    const schedule = rfcSchedule();
    let successes = 0;
    for (let seed = 10; seed < 40; seed++) {
      const { net, stun } = setup(seed, { delayMs: 15, jitterMs: 10, loss: 0.5, duplicate: 0.1 });
      const tx = stun.request(server);
      net.addEndpoint(stun, client);
      net.run({ until: 60_000 });
      expect(schedule.sends.slice(0, tx.sendTimes.length)).toEqual(tx.sendTimes);
      const o = tx.outcome!;
      if (o.kind === 'success') {
        successes++;
        const x = findAttribute(o.response, T.XOR_MAPPED_ADDRESS)!;
        expect(decodeXorAddress(x.value, o.response.transactionId)).toEqual(client);
        if (tx.sendTimes.length === 1) expect(o.rtt).toBeGreaterThanOrEqual(30);
      } else {
        expect(o.kind).toBe('timeout');
        expect(tx.completedAt).toBe(schedule.timeout);
      }
    }
    expect(successes).toBeGreaterThan(25); // 7 tries at 25% round-trip success each: ~87% succeed
  });

  it('reports an error response with its code (420 and UNKNOWN-ATTRIBUTES)', () => {
    const { net, stun } = setup(4, { delayMs: 5 });
    const tx = stun.request(server, { attributes: [{ type: 0x7f01, value: Uint8Array.of(1) }] });
    net.addEndpoint(stun, client);
    net.run({ until: 1000 });
    const o = tx.outcome!;
    expect(o.kind).toBe('error-response');
    if (o.kind !== 'error-response') return;
    expect(o.code).toBe(420);
    expect(decodeUnknownAttributes(findAttribute(o.response, T.UNKNOWN_ATTRIBUTES)!.value)).toEqual(
      [0x7f01],
    );
  });

  it('discards responses that fail the integrity check and ends with integrity-violation (§9.1.4)', () => {
    const { net, stun } = setup(5, { delayMs: 5 });
    const key = new TextEncoder().encode('pass');
    // The BindingServer does not sign its answers: all seven are discarded.
    const tx = stun.request(server, { integrity: { key, provider: nodeProvider } });
    net.addEndpoint(stun, client);
    net.run({ until: 100_000 });
    expect(tx.sendTimes).toHaveLength(7);
    expect(tx.outcome).toEqual({ kind: 'integrity-violation' });
  });
});
