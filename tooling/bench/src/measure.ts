/**
 * Timing: warm up, calibrate a batch size, then take several timed samples,
 * each a run of whole batches until its share of `minTimeMs` has elapsed.
 * Garbage collection is not excluded: an allocation-heavy path pays for its
 * collections inside the samples, which is what a caller would see.
 */

export interface MeasureOptions {
  /** Timed time per measurement, split evenly across the samples. */
  readonly minTimeMs?: number;
  /** Untimed running before the samples (JIT tiers up, lazy tables get built). */
  readonly warmupMs?: number;
  /** How many timed samples; the median is reported. */
  readonly samples?: number;
}

export interface Measurement {
  readonly name: string;
  /** Median of the samples' ops/s. */
  readonly opsPerSec: number;
  readonly minOpsPerSec: number;
  readonly maxOpsPerSec: number;
  /**
   * Half the interquartile range relative to the median: the "±" printed next
   * to ops/s. Robust to one or two samples hit by another process.
   */
  readonly spread: number;
  /** Each sample's ops/s, in the order taken. */
  readonly samples: readonly number[];
  /** Operations timed in all samples together. */
  readonly ops: number;
  /** Time spent in timed samples, in milliseconds. */
  readonly timedMs: number;
  /** Operations per timed batch (performance.now() is read once per batch). */
  readonly batch: number;
}

export const DEFAULT_MEASURE: Required<MeasureOptions> = {
  minTimeMs: 300,
  warmupMs: 100,
  samples: 9,
};

/** Batches aim at this long so the clock reads are noise, not part of the result. */
const TARGET_BATCH_MS = 2;

let sink = 0;

/** Bumped after every timed batch; the stall watchdog (watchdog.ts) reads it from another thread. */
let heartbeat: Int32Array | undefined;

/** Shares a counter that every finished batch increments (see watchdog.ts). */
export function setHeartbeat(counter: Int32Array | undefined): void {
  heartbeat = counter;
}

/**
 * Folds a result into a module-level value the JIT cannot prove dead, so a
 * benchmarked call's output is always used. Reads a byte of byte results.
 */
export function consume(value: unknown): void {
  if (value instanceof Uint8Array) {
    sink = (sink + value.length + (value.length > 0 ? value[value.length - 1]! : 0)) | 0;
  } else if (value === null || value === undefined) {
    sink = (sink + 1) | 0;
  } else {
    sink = (sink + 3) | 0;
  }
}

/** The folded value (written to the JSON output so it is observable). */
export function sinkValue(): number {
  return sink;
}

/** Runs `fn` `n` times and returns the elapsed milliseconds. */
function batch(fn: () => unknown, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) consume(fn());
  const ms = performance.now() - t0;
  if (heartbeat !== undefined) Atomics.add(heartbeat, 0, 1);
  return ms;
}

/** Collects garbage left by the previous case, when node runs with --expose-gc. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') gc();
}

/** Warms `fn` up for `warmupMs` and returns a batch size of about TARGET_BATCH_MS. */
function warmUp(fn: () => unknown, warmupMs: number): number {
  let n = 1;
  let ops = 0;
  let spent = 0;
  // At least a few calls even with warmupMs 0, so the first sample is not the first call.
  while (spent < warmupMs || ops < 3) {
    spent += batch(fn, n);
    ops += n;
    if (n < 1 << 20) n *= 2;
  }
  const perOpMs = spent / ops;
  return Math.max(1, Math.round(TARGET_BATCH_MS / Math.max(perOpMs, 1e-6)));
}

/** One sample: whole batches until `sampleMs` elapsed; returns ops and time. */
function sample(fn: () => unknown, n: number, sampleMs: number): { ops: number; ms: number } {
  let ops = 0;
  let ms = 0;
  do {
    ms += batch(fn, n);
    ops += n;
  } while (ms < sampleMs);
  return { ops, ms };
}

/** Linear-interpolated quantile of sorted values (q in 0..1). */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** Median and half the interquartile range relative to the median. */
function center(values: readonly number[]): { median: number; spread: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
  return { median, spread: median > 0 ? iqr / 2 / median : 0 };
}

class Recorder {
  readonly rates: number[] = [];
  ops = 0;
  ms = 0;
  constructor(
    readonly name: string,
    readonly fn: () => unknown,
    readonly batch: number,
  ) {}

  take(sampleMs: number): void {
    const s = sample(this.fn, this.batch, sampleMs);
    this.ops += s.ops;
    this.ms += s.ms;
    this.rates.push((s.ops * 1000) / s.ms);
  }

  result(): Measurement {
    const { median, spread } = center(this.rates);
    return {
      name: this.name,
      opsPerSec: median,
      minOpsPerSec: Math.min(...this.rates),
      maxOpsPerSec: Math.max(...this.rates),
      spread,
      samples: this.rates,
      ops: this.ops,
      timedMs: this.ms,
      batch: this.batch,
    };
  }
}

function resolve(options: MeasureOptions): Required<MeasureOptions> {
  const o = { ...DEFAULT_MEASURE, ...options };
  if (!(o.minTimeMs > 0) || !(o.warmupMs >= 0) || !(o.samples >= 1)) {
    throw new RangeError(`bad measure options ${JSON.stringify(options)}`);
  }
  return { ...o, samples: Math.floor(o.samples) };
}

/** ops/s of `fn`: warm-up, then `samples` timed samples sharing `minTimeMs`. */
export function measure(
  name: string,
  fn: () => unknown,
  options: MeasureOptions = {},
): Measurement {
  const o = resolve(options);
  collectGarbage();
  const r = new Recorder(name, fn, warmUp(fn, o.warmupMs));
  for (let i = 0; i < o.samples; i++) r.take(o.minTimeMs / o.samples);
  return r.result();
}

export interface PairMeasurement {
  readonly a: Measurement;
  readonly b: Measurement;
  /** a ÷ b for each round (the two samples taken back to back). */
  readonly ratios: readonly number[];
  /** Median of `ratios`: the a/b ratio, robust to rounds disturbed by other processes. */
  readonly ratio: number;
  /** Half the interquartile range of `ratios`, relative to `ratio`. */
  readonly ratioSpread: number;
}

/**
 * Measures two functions side by side: both warmed up, then their samples
 * interleaved in rounds (A B, B A, A B, ...) so drift in clock speed or machine
 * load lands on both sides. The ratio is the median of the per-round ratios,
 * so a round in which another process took the CPU from one side is outvoted.
 */
export function measurePair(
  a: { name: string; fn: () => unknown },
  b: { name: string; fn: () => unknown },
  options: MeasureOptions = {},
): PairMeasurement {
  const o = resolve(options);
  collectGarbage();
  const ra = new Recorder(a.name, a.fn, warmUp(a.fn, o.warmupMs));
  const rb = new Recorder(b.name, b.fn, warmUp(b.fn, o.warmupMs));
  const sampleMs = o.minTimeMs / o.samples;
  for (let i = 0; i < o.samples; i++) {
    const [first, second] = i % 2 === 0 ? [ra, rb] : [rb, ra];
    first.take(sampleMs);
    second.take(sampleMs);
  }
  const ratios = ra.rates.map((rate, i) => rate / rb.rates[i]!);
  const { median, spread } = center(ratios);
  return { a: ra.result(), b: rb.result(), ratios, ratio: median, ratioSpread: spread };
}
