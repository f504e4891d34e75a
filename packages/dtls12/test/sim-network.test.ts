import { describe, expect, it } from 'vitest';
import { ContentType, decodeRecords } from '../src/record/record.js';
import { CLIENT_ADDR, SERVER_ADDR } from './fixtures.js';
import { C, S, sendTimes, setup } from './sim-setup.js';

describe('retransmission in virtual time (RFC 6347 §4.2.4)', () => {
  it('resends the ClientHello at 1 s, 3 s, 7 s, 15 s when the first four are lost, then completes', () => {
    const { net, cli, srv } = setup(1, {}, {}, (n) =>
      n.linkOneWay(CLIENT_ADDR, SERVER_ADDR, { delayMs: 10, drop: (d) => d.index <= 4 }),
    );
    net.run({ until: 60_000 });
    expect(cli.connection.state).toBe('connected');
    expect(sendTimes(net.trace, C).slice(0, 5)).toEqual([0, 1000, 3000, 7000, 15000]);
    expect(srv.sessions.size).toBe(1);
  });

  it('uses the configured initial timeout (100 ms, as WebRTC servers do) with the same doubling', () => {
    const { net, cli } = setup(2, { retransmit: { initialMs: 100 } }, {}, (n) =>
      n.linkOneWay(CLIENT_ADDR, SERVER_ADDR, { delayMs: 10, drop: (d) => d.index <= 3 }),
    );
    net.run({ until: 10_000 });
    expect(cli.connection.state).toBe('connected');
    expect(sendTimes(net.trace, C).slice(0, 4)).toEqual([0, 100, 300, 700]);
  });

  it('a retransmitted flight is re-fragmented to the MTU with the same messages and fresh record numbers', () => {
    const flights: { t: number; records: ReturnType<typeof decodeRecords>; size: number }[] = [];
    const { net, cli } = setup(12, {}, { mtu: 300 }, (n) =>
      n.linkOneWay(SERVER_ADDR, CLIENT_ADDR, {
        delayMs: 10,
        drop: (d) => {
          const records = decodeRecords(d.data);
          flights.push({ t: d.now, records, size: d.data.length });
          // Lose the whole first transmission of flight 4 (everything after the HelloVerifyRequest, before 1 s).
          return d.index > 1 && d.now < 1000;
        },
      }),
    );
    net.run({ until: 5_000 });
    expect(cli.connection.state).toBe('connected');
    // HelloVerifyRequest at 10 ms, flight 4 at 30 ms (lost), its retransmission at 1030 ms, flight 6 later.
    const first = flights.filter((f) => f.t > 10 && f.t < 1000);
    const again = flights.filter((f) => f.t >= 1000 && f.t < 1040);
    expect(first.length).toBeGreaterThan(2); // the certificate flight needed several datagrams
    expect(flights.every((f) => f.size <= 300)).toBe(true);
    const fragments = (fs: typeof flights) =>
      fs.flatMap((f) =>
        f.records.map(
          (r) => `${Array.from(r.fragment.subarray(0, 12)).join(',')}/${r.fragment.length}`,
        ),
      );
    expect(fragments(again)).toEqual(fragments(first)); // same message_seq, offsets and lengths
    const seqs = (fs: typeof flights) => fs.flatMap((f) => f.records.map((r) => r.sequenceNumber));
    expect(Math.min(...seqs(again))).toBeGreaterThan(Math.max(...seqs(first))); // new record numbers (RFC 6347 §4.2.2)
  });

  it('the server resends its last flight when the client repeats its own (lost server Finished)', () => {
    const { net, cli, sessions } = setup(3, { retransmit: { initialMs: 200 } });
    // Server datagrams: 1 = HelloVerifyRequest, 2.. = flight 4, then flight 6. Drop the first flight 6.
    let serverSends = 0;
    let dropped = -1;
    net.linkOneWay(SERVER_ADDR, CLIENT_ADDR, {
      delayMs: 10,
      drop: (d) => {
        serverSends++;
        const recs = decodeRecords(d.data);
        if (dropped < 0 && recs.some((r) => r.type === ContentType.change_cipher_spec)) {
          dropped = d.index;
          return true;
        }
        return false;
      },
    });
    net.run({ until: 10_000 });
    expect(dropped).toBeGreaterThan(0);
    expect(cli.connection.state).toBe('connected');
    expect(sessions[0]!.connection.state).toBe('connected');
    expect(serverSends).toBeGreaterThan(dropped); // flight 6 went out again after the client's repeat
  });
});

describe('lossy links', () => {
  it('completes under 30% loss, reordering and duplication both ways (10 seeds, MTU 300 so flights are fragmented)', () => {
    let retransmitted = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const lossy = {
        delayMs: 20,
        jitterMs: 15,
        loss: 0.3,
        reorder: 0.2,
        reorderDelayMs: 30,
        duplicate: 0.2,
      };
      const rto = { initialMs: 100, maxRetransmissions: 30 };
      const { net, cli, sessions } = setup(
        seed,
        { mtu: 300, retransmit: rto },
        { mtu: 300, retransmit: rto },
        (n) => n.link(CLIENT_ADDR, SERVER_ADDR, lossy),
      );
      net.run({ until: 120_000 });
      const s = sessions.at(-1)?.connection;
      expect(cli.connection.state, `seed ${seed}\n${net.formatTrace(40)}`).toBe('connected');
      expect(s?.state, `seed ${seed}`).toBe('connected');
      expect(cli.connection.exportKeyingMaterial('x', undefined, 16)).toEqual(
        s!.exportKeyingMaterial('x', undefined, 16),
      );
      const st = net.totalStats();
      expect(st.dropped.loss).toBeGreaterThan(0);
      // Timer expiries that led to a resend: the loss was real and the timer recovered from it.
      retransmitted += net.trace.filter(
        (e) => e.kind === 'timeout' && (e.at === C || e.at === S),
      ).length;
    }
    expect(retransmitted).toBeGreaterThan(10);
  });

  it('bit errors anywhere never throw out of an endpoint; every run ends connected or with an alert (30 seeds)', () => {
    const outcomes = new Set<string>();
    for (let seed = 100; seed < 130; seed++) {
      const rto = { initialMs: 50, maxRetransmissions: 6 };
      const { net, cli, sessions } = setup(seed, { retransmit: rto }, { retransmit: rto }, (n) =>
        n.link(CLIENT_ADDR, SERVER_ADDR, {
          delayMs: 5,
          corrupt: 0.25,
          duplicate: 0.2,
          reorder: 0.2,
        }),
      );
      expect(() => net.run({ until: 60_000 })).not.toThrow();
      const c = cli.connection;
      // Epoch 0 has no integrity, so a flipped bit there can end the handshake (with an alert) in any DTLS stack.
      expect(['connected', 'failed']).toContain(c.state);
      if (c.state === 'failed') expect(c.error?.alert).toBeTypeOf('number');
      else expect(sessions.at(-1)!.connection.state).toBe('connected');
      outcomes.add(c.state);
    }
    expect(outcomes.has('connected')).toBe(true);
  });

  it('drops a corrupted record silently and still completes (RFC 6347 §4.1.2.7)', () => {
    const { net, cli, sessions } = setup(4, { retransmit: { initialMs: 100 } });
    let corrupted = false;
    net.linkOneWay(CLIENT_ADDR, SERVER_ADDR, {
      delayMs: 10,
      drop: (d) => {
        // The client's flight 5 carries the epoch-1 Finished: replace it by a copy with one tag bit flipped.
        if (corrupted || !decodeRecords(d.data).some((r) => r.epoch === 1)) return false;
        corrupted = true;
        const bad = d.data.slice();
        bad[bad.length - 1]! ^= 0x01;
        net.inject({ from: CLIENT_ADDR, to: SERVER_ADDR, data: bad }, { at: d.now + 10 });
        return true;
      },
    });
    net.run({ until: 10_000 });
    expect(corrupted).toBe(true);
    const s = sessions[0]!.connection;
    expect(s.error).toBeUndefined();
    expect(s.state).toBe('connected');
    expect(cli.connection.state).toBe('connected');
    // The server dropped the damaged flight silently, so the client timer resent flight 5 once.
    expect(cli.connection.retransmissions).toBe(1);
  });
});

describe('reordering around the end of the handshake', () => {
  it('application data that overtakes the server Finished is delivered once the client is connected', () => {
    const { net, cli, srv } = setup(8);
    srv.onSession((s) => {
      s.connection.on('connected', () => {
        s.connection.send(new TextEncoder().encode('early'));
      });
    });
    let delayed = false;
    net.linkOneWay(SERVER_ADDR, CLIENT_ADDR, {
      delayMs: 10,
      drop: (d) => {
        if (
          delayed ||
          !decodeRecords(d.data).some((r) => r.type === ContentType.change_cipher_spec)
        )
          return false;
        delayed = true;
        net.inject({ from: SERVER_ADDR, to: CLIENT_ADDR, data: d.data }, { at: d.now + 50 });
        return true;
      },
    });
    const got: string[] = [];
    cli.connection.on('data', (d) => got.push(new TextDecoder().decode(d)));
    net.run({ until: 2_000 });
    expect(delayed).toBe(true);
    expect(cli.connection.state).toBe('connected');
    expect(got).toEqual(['early']);
  });
});
