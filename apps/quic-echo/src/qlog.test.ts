/**
 * The qlog files quic-echo writes with --qlog, checked against what qvis's
 * JSON-SEQ loader demands (quiclog/qvis, textsequencejsontoqlog.ts and
 * QlogLoaderV2.ts, read for this test; its loader accepted these files when
 * run by hand): RFC 7464 records, a first record with qlog_version "0.3",
 * qlog_format "JSON-SEQ" and a trace with a vantage point, then one event per
 * record, ordered by time, with "category:event" names; packet events keep
 * the size in raw.length (qvis rewrites the older header.packet_size).
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const NODE_ARGS = ['--import', 'tsx', '--conditions=x-source', CLI];
const RS = '\u001e';
const dir = mkdtempSync(join(tmpdir(), 'quic-echo-qlog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

function run(
  args: string[],
  until?: RegExp,
): Promise<{ code: number | null; out: string; kill: () => void }> {
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const kill = () =>
      child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL');
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`timed out: ${out}`));
    }, 20_000);
    const on = (b: Buffer) => {
      out += b.toString();
      if (until?.test(out)) {
        clearTimeout(timer);
        resolve({ code: null, out, kill });
      }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, kill });
    });
  });
}

describe('quic-echo --qlog', () => {
  it('writes one qvis-loadable JSON-SEQ file per connection on each side, Retry included', async () => {
    const probe = createSocket('udp4');
    await new Promise<void>((r) => probe.bind(0, '127.0.0.1', r));
    const port = probe.address().port;
    await new Promise<void>((r) => probe.close(() => r()));
    const server = await run(
      ['server', '--port', String(port), '--retry', '--qlog', join(dir, 'server')],
      /fingerprint/,
    );
    try {
      const client = await run([
        'client',
        '--port',
        String(port),
        '--insecure',
        '--streams',
        '2',
        '--qlog',
        join(dir, 'client'),
      ]);
      expect(client.code).toBe(0);
    } finally {
      server.kill();
    }
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
          expect(['initial', 'handshake', '1rtt']).toContain(h.packet_type);
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
      expect(types('sent')).toEqual(new Set(['initial', 'handshake', '1rtt']));
      const frames = new Set(events.flatMap((e) => (e.data.frames ?? []).map((f) => f.frame_type)));
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
  });
});
