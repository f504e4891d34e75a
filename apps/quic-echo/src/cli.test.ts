import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requirePeer } from '@x/test-helpers';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const NODE_ARGS = ['--import', 'tsx', '--conditions=x-source', CLI];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0))
    if (c.exitCode === null && c.pid !== undefined) process.kill(c.pid, 'SIGKILL');
});

function start(
  cmd: string,
  args: string[],
): {
  child: ChildProcess;
  output: () => string;
  waitFor: (re: RegExp, ms: number) => Promise<string>;
  exit: (ms: number) => Promise<number | null>;
} {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  // 'close', not 'exit': the output may still be in the pipes when the process exits.
  let closed: number | null | undefined;
  const closing = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      closed = code;
      resolve(code);
    }),
  );
  child.once('error', (e) => (out += `spawn error: ${e.message}`));
  const waitFor = (re: RegExp, ms: number) =>
    new Promise<string>((resolve, reject) => {
      const started = Date.now();
      const tick = setInterval(() => {
        if (re.test(out)) {
          clearInterval(tick);
          resolve(out);
        } else if (closed !== undefined || Date.now() - started > ms) {
          clearInterval(tick);
          reject(new Error(`waiting for ${re}: ${out}`));
        }
      }, 50);
    });
  const exit = (ms: number) =>
    new Promise<number | null>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`did not exit: ${out}`)), ms);
      void closing.then((code) => {
        clearTimeout(t);
        resolve(code);
      });
    });
  return { child, output: () => out, waitFor, exit };
}

async function startServer(extra: string[] = []) {
  // Port 0: the server binds a port no other test can take between our choice and its bind.
  const server = start(process.execPath, [...NODE_ARGS, 'server', '--port', '0', ...extra]);
  const out = await server.waitFor(/fingerprint ([0-9A-F:]+)/, 20_000);
  const fingerprint = /fingerprint ([0-9A-F:]+)/.exec(out)![1]!;
  const port = Number(/listening on [^\s]+:(\d+) /.exec(out)![1]);
  return { port, server, fingerprint };
}

const RS = '\u001e';

/**
 * The qlog files quic-echo writes with --qlog, checked against what qvis's
 * JSON-SEQ loader demands (quiclog/qvis, textsequencejsontoqlog.ts and
 * QlogLoaderV2.ts, read for this test; its loader accepted these files when
 * run by hand): RFC 7464 records, a first record with qlog_version "0.3",
 * qlog_format "JSON-SEQ" and a trace with a vantage point, then one event per
 * record, ordered by time, with "category:event" names; packet events keep
 * the size in raw.length (qvis rewrites the older header.packet_size).
 */
interface QlogEvent {
  time: number;
  name: string;
  data: {
    header?: { packet_type: string; packet_number?: number; packet_size?: number; token?: unknown };
    raw?: { length: number };
    frames?: { frame_type: string }[];
  };
}

function readSqlog(file: string): { header: Record<string, unknown>; events: QlogEvent[] } {
  const text = readFileSync(file, 'utf8');
  expect(text.startsWith(RS)).toBe(true);
  const records = text.split(RS).slice(1);
  for (const r of records) expect(r.endsWith('\n')).toBe(true);
  const [header, ...events] = records.map((r) => JSON.parse(r));
  return { header, events };
}

function startClient(port: number, extra: string[]) {
  return start(process.execPath, [...NODE_ARGS, 'client', '--port', String(port), ...extra]);
}

describe('quic-echo CLI', () => {
  it('client pins the server certificate, echoes 3 streams and exits 0; a wrong pin exits 1', async () => {
    const { port, server, fingerprint } = await startServer(['--retry']);
    const client = startClient(port, [
      '--streams',
      '3',
      '--message',
      'Hello world',
      '--fingerprint',
      fingerprint,
    ]);
    expect(await client.exit(20_000)).toBe(0);
    for (const i of [0, 1, 2]) expect(client.output()).toContain(`echo: Hello world #${i}`);
    await server.waitFor(/stream 8: echoed 14 bytes/, 5000);
    const wrong = fingerprint.replace(/^../, fingerprint.startsWith('00') ? '11' : '00');
    const bad = startClient(port, ['--fingerprint', wrong]);
    expect(await bad.exit(20_000)).toBe(1);
    expect(bad.output()).toMatch(/CRYPTO_ERROR|certificate/i);
  }, 60_000);

  it('tshark decodes a captured session with our key log: nothing malformed or undecryptable', async () => {
    const tshark = requirePeer('tshark', 'apt-get install -y tshark');
    const dumpcap = requirePeer(
      'dumpcap',
      'apt-get install -y tshark (dumpcap is in wireshark-common)',
    );
    const dir = mkdtempSync(join(tmpdir(), 'quic-echo-cap-'));
    try {
      const pcap = join(dir, 'cap.pcapng');
      const keylog = join(dir, 'keys.log');
      const { port } = await startServer(['--retry']);
      const cap = start(dumpcap, [
        '-i',
        'lo',
        '-f',
        `udp port ${port}`,
        '-w',
        pcap,
        '-a',
        'duration:30',
      ]);
      await cap.waitFor(/Capturing on/, 10_000);
      // --resume: a second connection whose echo goes in 0-RTT, so the capture has every packet type.
      const client = startClient(port, [
        '--insecure',
        '--streams',
        '2',
        '--keylog',
        keylog,
        '--resume',
      ]);
      expect(await client.exit(20_000)).toBe(0);
      await new Promise((r) => setTimeout(r, 500));
      process.kill(cap.child.pid!, 'SIGINT');
      await cap.exit(10_000);
      expect(readFileSync(keylog, 'utf8')).toMatch(/CLIENT_HANDSHAKE_TRAFFIC_SECRET/);
      expect(readFileSync(keylog, 'utf8')).toMatch(/CLIENT_EARLY_TRAFFIC_SECRET/);
      const opts = ['-r', pcap, '-o', `tls.keylog_file:${keylog}`, '-d', `udp.port==${port},quic`];
      const run = (extra: string[]) =>
        spawnSync(tshark, [...opts, ...extra], { encoding: 'utf8', timeout: 30_000 }).stdout;
      const all = run([]).trim().split('\n');
      const malformed = run(['-Y', '_ws.malformed']).trim();
      const undecrypted = run(['-Y', 'quic.remaining_payload']).trim();
      const fields = run(['-T', 'fields', '-e', 'quic.frame_type', '-e', 'quic.long.packet_type']);
      // The whole session: Initials (long type 0), 0-RTT (1), the Retry (3),
      // Handshake packets (2) and short-header 1-RTT packets, in both directions.
      const longTypes = new Set(
        run(['-T', 'fields', '-e', 'quic.long.packet_type']).split(/[\s,]+/),
      );
      for (const t of ['0', '1', '2', '3']) expect(longTypes).toContain(t);
      // The 0-RTT packets decrypt to the echoed message's STREAM frame.
      const early = run([
        '-Y',
        'quic.long.packet_type == 1',
        '-T',
        'fields',
        '-e',
        'quic.frame_type',
      ]);
      expect(early).toMatch(/\b1[0-5]\b|\b[89]\b/);
      expect(all.some((l) => l.includes('Retry'))).toBe(true);
      const shortHeader = run(['-Y', 'quic.header_form == 0', '-T', 'fields', '-e', 'udp.srcport']);
      // From the server and from each of the client's two connections (two sockets).
      expect(new Set(shortHeader.trim().split('\n')).size).toBe(3);
      expect(malformed).toBe('');
      expect(undecrypted).toBe('');
      // Decrypted frames: CRYPTO (6), STREAM (8..15), HANDSHAKE_DONE (30), NEW_CONNECTION_ID (24).
      expect(fields).toMatch(/\b6\b/);
      expect(fields).toMatch(/\b30\b/);
      expect(fields).toMatch(/\b24\b/);
      expect(fields).toMatch(/\b1[0-5]\b|\b[89]\b/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('--trace tells the handshake packet by packet; --qlog writes one qvis-loadable file per connection on each side', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quic-echo-qlog-'));
    try {
      const { port } = await startServer(['--retry', '--qlog', join(dir, 'server')]);
      const client = startClient(port, [
        '--insecure',
        '--streams',
        '2',
        '--qlog',
        join(dir, 'client'),
        '--trace',
      ]);
      expect(await client.exit(20_000)).toBe(0);
      // --trace tells the walkthrough's story: Retry with its token, the second
      // Initial, and the server's post-handshake frames and session ticket.
      const trace = client.output();
      expect(trace).toMatch(/\[client\] recv retry .*token=[0-9a-f]+ \(integrity tag ok\)/);
      expect(trace).toMatch(/\[client\] sent initial .*pn=0 .*CRYPTO\(off=0/);
      for (const frame of ['HANDSHAKE_DONE', 'NEW_TOKEN', 'NEW_CONNECTION_ID', 'STREAM(']) {
        expect(trace).toMatch(new RegExp(`\\[client\\] recv 1rtt .*${frame.replace('(', '\\(')}`));
      }
      expect(trace).toMatch(
        /\[client\] session ticket: \d+ bytes, lifetime 7200 s, 0-RTT allowed, alpn quic-echo-example/,
      );
      const files = {
        client: readdirSync(join(dir, 'client')).map((f) => join(dir, 'client', f)),
        server: readdirSync(join(dir, 'server')).map((f) => join(dir, 'server', f)),
      };
      expect(files.client).toHaveLength(1);
      expect(files.server).toHaveLength(1);
      for (const role of ['client', 'server'] as const) {
        expect(files[role][0]).toMatch(/\.sqlog$/);
        const { header, events } = readSqlog(files[role][0]!);
        expect(header.qlog_version).toBe('0.3');
        expect(header.qlog_format).toBe('JSON-SEQ');
        const trace = header.trace as {
          vantage_point: { type: string };
          common_fields: Record<string, unknown>;
        };
        expect(trace.vantage_point.type).toBe(role);
        expect(trace.common_fields.time_format).toBe('relative');
        expect(typeof trace.common_fields.reference_time).toBe('number');
        expect(events.length).toBeGreaterThan(5);
        let last = Number.NEGATIVE_INFINITY;
        for (const e of events) {
          expect(typeof e.time).toBe('number');
          expect(e.time).toBeGreaterThanOrEqual(last);
          last = e.time;
          expect(e.name).toMatch(/^transport:packet_(sent|received)$/);
          const h = e.data.header!;
          expect(h.packet_size).toBeUndefined();
          expect(e.data.raw!.length).toBeGreaterThan(0);
          if (h.packet_type === 'retry') {
            expect(h.token).toBeDefined();
          } else {
            // qlog QUIC events' PacketType values ("0RTT"/"1RTT" upper case).
            expect(['initial', 'handshake', '1RTT']).toContain(h.packet_type);
            expect(Number.isInteger(h.packet_number)).toBe(true);
            expect(Array.isArray(e.data.frames)).toBe(true);
          }
        }
        const types = (dir: 'sent' | 'received') =>
          new Set(
            events
              .filter((e) => e.name === `transport:packet_${dir}`)
              .map((e) => e.data.header!.packet_type),
          );
        expect(types('sent')).toEqual(new Set(['initial', 'handshake', '1RTT']));
        const frames = new Set(
          events.flatMap((e) => (e.data.frames ?? []).map((f) => f.frame_type)),
        );
        expect(frames).toContain('crypto');
        expect(frames).toContain('stream');
        expect(frames).toContain('ack');
        if (role === 'client') {
          // The server's Retry, logged when it is accepted, comes before anything else received.
          const received = events.filter((e) => e.name === 'transport:packet_received');
          expect(received[0]!.data.header!.packet_type).toBe('retry');
        } else {
          expect(frames).toContain('handshake_done');
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('--resume connects again with the session ticket: a PSK handshake without the certificate, the echo in 0-RTT', async () => {
    const { port } = await startServer();
    const client = startClient(port, ['--insecure', '--resume', '--trace']);
    expect(await client.exit(20_000)).toBe(0);
    const out = client.output();
    expect(out.match(/^echo: Hello world$/gm)).toHaveLength(2);
    expect(out).toContain('resumed: yes, 0-RTT accepted');
    // The resumed connection's first datagram: its Initial, then the message in a 0-RTT packet.
    const early = out.match(/\[client\] sent 0rtt .*STREAM\(id=0 off=0 len=11 fin\)/g);
    expect(early).toHaveLength(1);
    // The server's Handshake-level CRYPTO: the full flight carries the
    // certificate chain, the resumed one only EncryptedExtensions + Finished.
    // One flight per connection (the output splits at the first echo); a resent
    // flight on a loaded machine repeats the line, so take the first of each.
    const cut = out.indexOf('echo: Hello world');
    const flights = [out.slice(0, cut), out.slice(cut)].map((part) =>
      Number(part.match(/\[client\] recv handshake .*?CRYPTO\(off=0 len=(\d+)\)/)?.[1]),
    );
    expect(flights[0]).toBeGreaterThan(400);
    expect(flights[1]).toBeLessThan(200);
  }, 60_000);
  it('--session-file keeps the ticket between runs: the next run resumes and echoes in 0-RTT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quic-echo-session-'));
    try {
      const file = join(dir, 'ticket');
      const { port } = await startServer();
      // A damaged file (world-readable, too) costs the resumption, nothing else.
      writeFileSync(file, 'not a ticket', { mode: 0o644 });
      const first = startClient(port, ['--insecure', '--session-file', file]);
      expect(await first.exit(20_000)).toBe(0);
      expect(first.output()).toMatch(/session file .*full handshake/);
      expect(first.output()).toContain('echo: Hello world');
      expect(first.output()).not.toContain('resumed:');
      // The new ticket replaced it; it holds the resumption key: owner only.
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const second = startClient(port, ['--insecure', '--session-file', file, '--trace']);
      expect(await second.exit(20_000)).toBe(0);
      expect(second.output()).toContain('resumed: yes, 0-RTT accepted');
      expect(second.output()).toMatch(/\[client\] sent 0rtt .*STREAM\(id=0 off=0 len=11 fin\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
