/**
 * Turning measurements into the ours/theirs table and the JSON file.
 * MB/s is 10^6 bytes per second of payload (plaintext or ciphertext body,
 * without tag), from the case's `bytes`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import type { Measurement } from './measure.js';

/** One case measured on both sides. */
export interface CaseResult {
  /** What is measured, e.g. "AES-128-GCM seal". */
  readonly name: string;
  /** Payload bytes per operation, when throughput applies. */
  readonly bytes?: number;
  readonly oursLabel: string;
  readonly theirsLabel: string;
  readonly ours: Measurement;
  readonly theirs: Measurement;
  /** Median of the per-round ours/theirs ratios (see measurePair); absent: ratio of the medians. */
  readonly pairedRatio?: number;
  /** Half the interquartile range of the per-round ratios, relative to the ratio. */
  readonly ratioSpread?: number;
}

export interface ComparedRow extends CaseResult {
  /** ours ÷ theirs: above 1 means ours is faster. The paired ratio when measured in rounds. */
  readonly ratio: number;
  readonly oursMBps?: number;
  readonly theirsMBps?: number;
}

/** A case that produced no measurement (its process hung or crashed). */
export interface FailedRow {
  readonly name: string;
  readonly bytes?: number;
  readonly oursLabel: string;
  readonly theirsLabel: string;
  /** Short text shown in the ratio column, e.g. "hung". */
  readonly failure: string;
}

export type TableRow = ComparedRow | FailedRow;

export const isFailed = (row: TableRow): row is FailedRow => 'failure' in row;

const mbps = (ops: number, bytes: number | undefined) =>
  bytes === undefined ? undefined : (ops * bytes) / 1e6;

/** Adds the ratio and throughput to each measured case. */
export function compare(rows: readonly CaseResult[]): ComparedRow[] {
  return rows.map((r) => {
    const out: ComparedRow = {
      ...r,
      ratio:
        r.pairedRatio ??
        (r.theirs.opsPerSec > 0 ? r.ours.opsPerSec / r.theirs.opsPerSec : Number.NaN),
    };
    const o = mbps(r.ours.opsPerSec, r.bytes);
    const t = mbps(r.theirs.opsPerSec, r.bytes);
    return o === undefined || t === undefined ? out : { ...out, oursMBps: o, theirsMBps: t };
  });
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatOps(ops: number): string {
  if (ops >= 100) return grouped.format(Math.round(ops));
  if (ops >= 10) return ops.toFixed(1);
  return ops.toFixed(2);
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

const pct = (m: Measurement) => `±${(m.spread * 100).toFixed(1)}%`;
const mb = (v: number | undefined) => (v === undefined ? '' : v.toFixed(1));

const COLUMNS = [
  { title: 'case', right: false },
  { title: 'size', right: true },
  { title: 'ours', right: false },
  { title: 'theirs', right: false },
  { title: 'ours ops/s', right: true },
  { title: '±', right: true },
  { title: 'theirs ops/s', right: true },
  { title: '±', right: true },
  { title: 'ours MB/s', right: true },
  { title: 'theirs MB/s', right: true },
  { title: 'ours/theirs', right: true },
  { title: '±', right: true },
] as const;

function cellsOf(r: TableRow): string[] {
  if (isFailed(r)) {
    return [
      r.name,
      formatBytes(r.bytes),
      r.oursLabel,
      r.theirsLabel,
      '',
      '',
      '',
      '',
      '',
      '',
      r.failure,
      '',
    ];
  }
  return [
    r.name,
    formatBytes(r.bytes),
    r.oursLabel,
    r.theirsLabel,
    formatOps(r.ours.opsPerSec),
    pct(r.ours),
    formatOps(r.theirs.opsPerSec),
    pct(r.theirs),
    mb(r.oursMBps),
    mb(r.theirsMBps),
    Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : 'n/a',
    r.ratioSpread === undefined ? '' : `±${(r.ratioSpread * 100).toFixed(1)}%`,
  ];
}

/** A markdown table, padded so it also reads as aligned plain text. */
export function formatTable(rows: readonly TableRow[]): string {
  const cells = rows.map(cellsOf);
  const widths = COLUMNS.map((c, i) =>
    Math.max(c.title.length, 3, ...cells.map((row) => row[i]!.length)),
  );
  const line = (values: readonly string[]) =>
    `| ${values.map((v, i) => (COLUMNS[i]!.right ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (COLUMNS[i]!.right ? `${'-'.repeat(w + 1)}:` : `:${'-'.repeat(w + 1)}`)).join('|')}|`;
  return [line(COLUMNS.map((c) => c.title)), rule, ...cells.map(line)].join('\n');
}

/** Where and how a run happened: printed above the table and stored in the JSON. */
export interface RunInfo {
  readonly title: string;
  readonly date: string;
  readonly node: string;
  readonly platform: string;
  readonly cpu: string;
  readonly cores: number;
  readonly mode: 'full' | 'quick';
  readonly minTimeMs: number;
  readonly warmupMs: number;
  readonly samples: number;
  readonly gcExposed: boolean;
  /** 1-minute load average when the run started: above the core count, expect noise. */
  readonly loadAverage: number;
}

export function runInfo(
  title: string,
  mode: 'full' | 'quick',
  m: { minTimeMs: number; warmupMs: number; samples: number },
): RunInfo {
  const cpu = cpus();
  return {
    title,
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    mode,
    ...m,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
  };
}

export function formatRunInfo(info: RunInfo): string {
  return (
    `${info.title}: node ${info.node} ${info.platform}, ${info.cpu} x${info.cores}, ` +
    `${info.mode} run (${info.samples} samples over ${info.minTimeMs} ms per side, ` +
    `${info.warmupMs} ms warm-up${info.gcExposed ? ', gc between cases' : ''}), ` +
    `load average ${info.loadAverage} at start, ${info.date}`
  );
}

export function writeJson(
  file: string,
  info: RunInfo,
  rows: readonly TableRow[],
  extra: Record<string, unknown> = {},
): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...info, ...extra, rows }, null, 2)}\n`);
}
