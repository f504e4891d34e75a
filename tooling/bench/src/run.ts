/**
 * A bench file's driver: reads the command line, measures each case against
 * its peer as it is added, and prints the table (stdout) at the end, with
 * progress on stderr so stdout stays pasteable.
 *
 *   --quick          short smoke run (also BENCH_QUICK=1)
 *   --json FILE      also write the results as JSON (also BENCH_JSON=FILE)
 *   --filter TEXT    only cases whose "name size ours" contains TEXT (also BENCH_FILTER)
 *   --min-time MS    timed milliseconds per side per case (default 300, quick 30)
 *   --warmup MS      warm-up milliseconds per side per case (default 100, quick 10)
 *   --samples N      timed samples per side (default 9, quick 3)
 *
 * A case marked `isolate` runs in a child process (the same bench file, told
 * which case through BENCH_CASE) with a time limit, so a case that can hang the
 * process (a native deadlock) costs one row, not the run. Every other case is
 * covered by the stall watchdog, which kills a stuck run with a message.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_MEASURE, type MeasureOptions, measurePair, sinkValue } from './measure.js';
import {
  type CaseResult,
  compare,
  type FailedRow,
  formatBytes,
  formatRunInfo,
  formatTable,
  type RunInfo,
  runInfo,
  type TableRow,
  writeJson,
} from './report.js';
import { Watchdog } from './watchdog.js';

export interface BenchArgs {
  readonly quick: boolean;
  readonly json: string | undefined;
  readonly filter: string | undefined;
  readonly measure: Required<MeasureOptions>;
}

const QUICK: Required<MeasureOptions> = { minTimeMs: 30, warmupMs: 10, samples: 3 };

/** Set in an isolated case's child process: the one case label to run, and where to put it. */
const CHILD_CASE = 'BENCH_CASE';
const CHILD_OUT = 'BENCH_CASE_OUT';

/** How often an isolated case is tried before its row reads "hung". */
const TRIES = 3;

/** The watchdog kills a run whose batches stop for this long. */
const STALL_MS = 60_000;

function positive(flag: string, text: string | undefined, allowZero = false): number {
  const n = Number(text);
  if (text === undefined || !Number.isFinite(n) || n < 0 || (n === 0 && !allowZero)) {
    throw new Error(
      `${flag} needs a ${allowZero ? 'non-negative' : 'positive'} number, got ${String(text)}`,
    );
  }
  return n;
}

/** Parses bench flags; `--` (as pnpm may pass it through) is ignored. */
export function parseBenchArgs(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): BenchArgs {
  let quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  let json = env.BENCH_JSON || undefined;
  let filter = env.BENCH_FILTER || undefined;
  const over: { minTimeMs?: number; warmupMs?: number; samples?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => (eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i]);
    switch (flag) {
      case '--':
        break;
      case '--quick':
        quick = true;
        break;
      case '--json':
        json = value();
        if (!json) throw new Error('--json needs a file name');
        break;
      case '--filter':
        filter = value();
        break;
      case '--min-time':
        over.minTimeMs = positive(flag, value());
        break;
      case '--warmup':
        over.warmupMs = positive(flag, value(), true);
        break;
      case '--samples':
        over.samples = Math.floor(positive(flag, value()));
        break;
      default:
        throw new Error(
          `unknown bench option ${arg} (known: --quick, --json FILE, --filter TEXT, --min-time MS, --warmup MS, --samples N)`,
        );
    }
  }
  return {
    quick,
    json: json === undefined ? undefined : resolve(json),
    filter: filter?.toLowerCase(),
    measure: { ...(quick ? QUICK : DEFAULT_MEASURE), ...over },
  };
}

export interface Side {
  /** Shown in the ours/theirs column, e.g. "node", "node:crypto". */
  readonly label: string;
  /** One operation; its result is consumed so the work cannot be dropped. */
  readonly fn: () => unknown;
}

export interface CaseSpec {
  readonly name: string;
  readonly bytes?: number;
  readonly ours: Side;
  readonly theirs: Side;
  /**
   * Run in a child process with a time limit (tried 3 times): for a case that is
   * known to be able to hang the process. Its setup must be reachable when the
   * bench file runs again with the same arguments.
   */
  readonly isolate?: boolean;
}

type CaseKey = Pick<CaseSpec, 'name' | 'bytes'> & { readonly ours: { readonly label: string } };

export class BenchRun {
  readonly args: BenchArgs;
  readonly info: RunInfo;
  readonly #rows: (CaseResult | FailedRow)[] = [];
  readonly #notes: string[] = [];
  /** In an isolated case's child: that case's label. */
  readonly #only: string | undefined;
  readonly #watchdog: Watchdog | undefined;
  #done = 0;

  constructor(title: string, args: BenchArgs = parseBenchArgs()) {
    this.args = args;
    this.info = runInfo(title, args.quick ? 'quick' : 'full', args.measure);
    this.#only = process.env[CHILD_CASE] || undefined;
    this.#watchdog = this.#only === undefined ? new Watchdog(STALL_MS) : undefined;
  }

  #label(spec: CaseKey): string {
    return [spec.name, formatBytes(spec.bytes), spec.ours.label].filter((s) => s !== '').join(' ');
  }

  /** False when --filter excludes the case (so its setup can be skipped too). */
  wants(spec: CaseKey): boolean {
    const label = this.#label(spec);
    if (this.#only !== undefined) return label === this.#only;
    return this.args.filter === undefined || label.toLowerCase().includes(this.args.filter);
  }

  #measure(spec: CaseSpec): CaseResult {
    const pair = measurePair(
      { name: `${spec.name} ${spec.ours.label}`, fn: spec.ours.fn },
      { name: `${spec.name} ${spec.theirs.label}`, fn: spec.theirs.fn },
      this.args.measure,
    );
    return {
      name: spec.name,
      ...(spec.bytes === undefined ? {} : { bytes: spec.bytes }),
      oursLabel: spec.ours.label,
      theirsLabel: spec.theirs.label,
      ours: pair.a,
      theirs: pair.b,
      pairedRatio: pair.ratio,
      ratioSpread: pair.ratioSpread,
    };
  }

  /** Runs an isolated case in a child process: its result, or why every try failed ("hung", "failed"). */
  #inChild(label: string): CaseResult | string {
    const dir = mkdtempSync(join(tmpdir(), 'x-bench-'));
    const out = join(dir, 'case.json');
    const m = this.args.measure;
    // Start-up plus both sides' warm-up and samples, with a wide margin.
    const limitMs = 10_000 + 4 * 2 * (m.warmupMs + m.minTimeMs);
    let failure = 'failed';
    try {
      for (let attempt = 1; attempt <= TRIES; attempt++) {
        const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
          env: { ...process.env, [CHILD_CASE]: label, [CHILD_OUT]: out },
          stdio: ['ignore', 'ignore', 'inherit'],
          timeout: limitMs,
          killSignal: 'SIGKILL',
        });
        if (child.status === 0) {
          try {
            return JSON.parse(readFileSync(out, 'utf8')) as CaseResult;
          } catch {
            failure = 'failed';
            this.note(`${label}: child finished without a result (try ${attempt} of ${TRIES})`);
            continue;
          }
        }
        const hung = child.signal === 'SIGKILL';
        failure = hung ? 'hung' : 'failed';
        const why = hung
          ? `hung: no result within ${Math.round(limitMs / 1000)} s, killed`
          : `child exited with ${child.status ?? child.signal ?? child.error?.message}`;
        this.note(`${label}: ${why} (try ${attempt} of ${TRIES})`);
      }
      return failure;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Measures one case, ours and theirs interleaved, and records it. */
  compare(spec: CaseSpec): void {
    if (!this.wants(spec)) return;
    const label = this.#label(spec);
    if (this.#only !== undefined) {
      const out = process.env[CHILD_OUT];
      const result = this.#measure(spec);
      if (out !== undefined) writeFileSync(out, JSON.stringify(result));
      return;
    }
    let result: CaseResult | string;
    if (spec.isolate === true) {
      this.#watchdog?.watch(null);
      result = this.#inChild(label);
    } else {
      this.#watchdog?.watch(label);
      result = this.#measure(spec);
      this.#watchdog?.watch(null);
    }
    this.#done++;
    if (typeof result === 'string') {
      this.#rows.push({
        name: spec.name,
        ...(spec.bytes === undefined ? {} : { bytes: spec.bytes }),
        oursLabel: spec.ours.label,
        theirsLabel: spec.theirs.label,
        failure: result,
      });
      process.stderr.write(`[${this.#done}] ${label}: no result\n`);
      return;
    }
    this.#rows.push(result);
    const ratio = (result.pairedRatio ?? result.ours.opsPerSec / result.theirs.opsPerSec).toFixed(
      2,
    );
    process.stderr.write(
      `[${this.#done}] ${label}: ${ratio}${spec.isolate ? ' (isolated)' : ''}\n`,
    );
  }

  /** A line printed under the table (skipped cases, anomalies). */
  note(text: string): void {
    this.#notes.push(text);
    process.stderr.write(`note: ${text}\n`);
  }

  /** Prints the table (and notes) and writes the JSON file when asked. */
  finish(): TableRow[] {
    this.#watchdog?.stop();
    if (this.#only !== undefined) return [];
    const rows: TableRow[] = this.#rows.map((r) => ('failure' in r ? r : compare([r])[0]!));
    const out = [formatRunInfo(this.info), '', formatTable(rows)];
    if (this.#notes.length > 0) out.push('', ...this.#notes.map((n) => `- ${n}`));
    process.stdout.write(`${out.join('\n')}\n`);
    if (this.args.json !== undefined) {
      writeJson(this.args.json, this.info, rows, { notes: this.#notes, sink: sinkValue() });
      process.stderr.write(`wrote ${this.args.json}\n`);
    }
    return rows;
  }
}
