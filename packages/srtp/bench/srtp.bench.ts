/**
 * @x/srtp against libsrtp (C, through tooling/libsrtp-harness, in the same run)
 * and werift's SRTP (where it supports the profile): protect and unprotect
 * packets/s for 1200-byte RTP packets, printed as ours/theirs ratios.
 *
 *   pnpm bench            (in packages/srtp; --quick for a smoke run, --json FILE to keep numbers)
 *
 * Unprotect runs over a ring of 4096 consecutive protected packets with a fresh
 * receiver per pass (each side the same way), so the replay list never refuses
 * a packet and no side measures its own protect.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { type CryptoProvider, getCipherSuite, nobleProvider, nodeProvider } from '@x/crypto';
import { toHex } from '@x/wire';
import { RtpHeader, SrtpSession } from 'werift';
import {
  type CaseResult,
  compare,
  formatRunInfo,
  formatTable,
  type Measurement,
  measure,
  measurePair,
  parseBenchArgs,
  runInfo,
  writeJson,
} from '../../../tooling/bench/src/index.js';
import { SrtpContext } from '../src/context/srtp-context.js';
import { libsrtpHarness } from '../src/test-support/libsrtp.js';

const SIZE = 1200;
const RING = 4096;
const SSRC = 0x12345678;
const WERIFT_PROFILES = new Set([1, 7]);

const args = parseBenchArgs();
const m = args.measure;
const info = runInfo('@x/srtp vs libsrtp 2 and werift 0.24.4', args.quick ? 'quick' : 'full', m);
const rows: CaseResult[] = [];
const notes: string[] = [];

function rtpPacket(seq: number): Uint8Array {
  const p = new Uint8Array(SIZE).fill(0xab);
  p[0] = 0x80;
  p[1] = 96;
  p[2] = seq >>> 8;
  p[3] = seq & 0xff;
  new DataView(p.buffer).setUint32(4, 0); // timestamp
  new DataView(p.buffer).setUint32(8, SSRC);
  return p;
}

/** A Measurement from samples taken outside measure() (libsrtp's, or ours in rounds). */
function external(name: string, samples: number[]): Measurement {
  const { median, spread } = center(samples);
  return {
    name,
    opsPerSec: median,
    minOpsPerSec: Math.min(...samples),
    maxOpsPerSec: Math.max(...samples),
    spread,
    samples,
    ops: 0,
    timedMs: m.minTimeMs,
    batch: 0,
  };
}

/** One libsrtp sample (a harness run of `ms` milliseconds) of one operation, in packets/s. */
function libsrtpSample(
  op: 'protect' | 'unprotect',
  id: number,
  key: Uint8Array,
  salt: Uint8Array,
  ms: number,
): number {
  const out = execFileSync(
    libsrtpHarness(),
    ['bench', String(id), toHex(key), toHex(salt), String(SIZE), String(ms), '1', op],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const line = out.split('\n').find((l) => l.startsWith(`${op} `));
  const value = Number(line?.split(' ')[1]);
  if (!Number.isFinite(value)) throw new Error(`libsrtp harness printed ${JSON.stringify(out)}`);
  return value;
}

/** Median and half the interquartile range relative to it. */
function center(values: readonly number[]): { median: number; spread: number } {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => v[Math.min(v.length - 1, Math.floor(q * (v.length - 1) + 0.5))]!;
  const median = at(0.5);
  return { median, spread: median > 0 ? (at(0.75) - at(0.25)) / 2 / median : 0 };
}

/**
 * Ours against libsrtp in rounds (ours, then a libsrtp sample of the same
 * length), so load from other processes on this 2-core machine lands on both
 * sides; the ratio is the median of the per-round ratios, as measurePair does.
 */
function againstLibsrtp(
  name: string,
  fn: () => unknown,
  cSample: (ms: number) => number,
): { a: Measurement; b: Measurement; ratio: number; ratioSpread: number } {
  const perSample = Math.max(1, Math.round(m.minTimeMs / m.samples));
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < m.samples; i++) {
    const warmupMs = i === 0 ? m.warmupMs : Math.min(m.warmupMs, 5);
    ours.push(measure(name, fn, { minTimeMs: perSample, warmupMs, samples: 1 }).opsPerSec);
    theirs.push(cSample(perSample));
  }
  const { median, spread } = center(ours.map((o, i) => o / theirs[i]!));
  return {
    a: external(name, ours),
    b: external(`${name} libsrtp`, theirs),
    ratio: median,
    ratioSpread: spread,
  };
}

/** Protect: one packet buffer whose sequence number advances each call; output into one buffer. */
function oursProtect(provider: CryptoProvider, id: number, key: Uint8Array, salt: Uint8Array) {
  const ctx = new SrtpContext({ profile: id, masterKey: key, masterSalt: salt, provider });
  const packet = rtpPacket(0);
  const out = new Uint8Array(SIZE + ctx.overhead);
  let seq = 0;
  return () => {
    seq = (seq + 1) & 0xffff;
    packet[2] = seq >>> 8;
    packet[3] = seq & 0xff;
    return ctx.protectInto(packet, out);
  };
}

function oursUnprotect(provider: CryptoProvider, id: number, key: Uint8Array, salt: Uint8Array) {
  const opts = { profile: id, masterKey: key, masterSalt: salt, provider };
  const tx = new SrtpContext(opts);
  const ring = Array.from({ length: RING }, (_, i) => tx.protect(rtpPacket(i)));
  const out = new Uint8Array(SIZE + tx.overhead);
  let rx = new SrtpContext(opts);
  let i = 0;
  return () => {
    if (i === RING) {
      i = 0;
      rx = new SrtpContext(opts);
    }
    return rx.unprotectInto(ring[i++]!, out);
  };
}

function weriftSession(id: number, key: Uint8Array, salt: Uint8Array): SrtpSession {
  const k = Buffer.from(key);
  const s = Buffer.from(salt);
  return new SrtpSession({
    keys: { localMasterKey: k, localMasterSalt: s, remoteMasterKey: k, remoteMasterSalt: s },
    profile: id as 1 | 7,
  });
}

function weriftProtect(id: number, key: Uint8Array, salt: Uint8Array) {
  const session = weriftSession(id, key, salt);
  const payload = Buffer.alloc(SIZE - 12, 0xab);
  const header = new RtpHeader({ payloadType: 96, ssrc: SSRC, sequenceNumber: 0 });
  // The race means something only if both sides produce the same packet.
  const ours = new SrtpContext({ profile: id, masterKey: key, masterSalt: salt }).protect(
    rtpPacket(0),
  );
  if (!Buffer.from(ours).equals(session.encrypt(payload, header))) {
    throw new Error(`werift and @x/srtp disagree on profile ${id}`);
  }
  return () => {
    header.sequenceNumber = (header.sequenceNumber + 1) & 0xffff;
    return session.encrypt(payload, header);
  };
}

function weriftUnprotect(id: number, key: Uint8Array, salt: Uint8Array) {
  const tx = new SrtpContext({ profile: id, masterKey: key, masterSalt: salt });
  const ring = Array.from({ length: RING }, (_, i) => Buffer.from(tx.protect(rtpPacket(i))));
  let rx = weriftSession(id, key, salt);
  let i = 0;
  return () => {
    if (i === RING) {
      i = 0;
      rx = weriftSession(id, key, salt);
    }
    return rx.decrypt(ring[i++]!);
  };
}

function wants(text: string): boolean {
  return args.filter === undefined || text.toLowerCase().includes(args.filter);
}

const PROVIDERS: [string, CryptoProvider][] = [
  ['node', nodeProvider],
  ['noble', nobleProvider],
];

for (const id of [1, 2, 7, 8]) {
  const profile = getCipherSuite('srtp', id)!;
  if (!wants(profile.name)) continue;
  const key = randomBytes(profile.masterKeyLength);
  const salt = randomBytes(profile.masterSaltLength);
  for (const op of ['protect', 'unprotect'] as const) {
    const name = `${profile.name} ${op}`;
    for (const [label, provider] of PROVIDERS) {
      const ours =
        op === 'protect'
          ? oursProtect(provider, id, key, salt)
          : oursUnprotect(provider, id, key, salt);
      if (label === 'node' && WERIFT_PROFILES.has(id)) {
        const theirs =
          op === 'protect' ? weriftProtect(id, key, salt) : weriftUnprotect(id, key, salt);
        const r = measurePair({ name, fn: ours }, { name: `${name} werift`, fn: theirs }, m);
        rows.push({
          name,
          bytes: SIZE,
          oursLabel: label,
          theirsLabel: 'werift',
          ours: r.a,
          theirs: r.b,
          pairedRatio: r.ratio,
          ratioSpread: r.ratioSpread,
        });
      }
      const r = againstLibsrtp(name, ours, (ms) => libsrtpSample(op, id, key, salt, ms));
      rows.push({
        name,
        bytes: SIZE,
        oursLabel: label,
        theirsLabel: 'libsrtp',
        ours: r.a,
        theirs: r.b,
        pairedRatio: r.ratio,
        ratioSpread: r.ratioSpread,
      });
      process.stderr.write(`${name} ${label}: ${r.ratio.toFixed(2)} of libsrtp\n`);
    }
  }
  if (!WERIFT_PROFILES.has(id))
    notes.push(`werift 0.24.4 has no ${profile.name} (it implements profiles 1 and 7 only)`);
}

const table = compare(rows);
const text = [formatRunInfo(info), '', formatTable(table)];
if (notes.length > 0) text.push('', ...notes.map((n) => `- ${n}`));
text.push(
  '',
  '- ops/s are packets/s. libsrtp runs in tooling/libsrtp-harness (C, -O2, Debian libsrtp2 on NSS), its samples interleaved with ours in this run.',
);
process.stdout.write(`${text.join('\n')}\n`);
if (args.json !== undefined) writeJson(args.json, info, table, { notes });
