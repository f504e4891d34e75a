/**
 * A stall watchdog. A benchmark loop that blocks inside native code (a lock
 * taken twice, say) never returns to JavaScript, so no timer on the main thread
 * can notice. A worker thread watches the batch counter instead and, when it
 * stops moving, names the case on stderr and kills the process, so `pnpm bench`
 * fails loudly instead of hanging CI.
 */
import { Worker } from 'node:worker_threads';
import { setHeartbeat } from './measure.js';

// Plain CommonJS so the worker needs no TypeScript loader.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { heart, stallMs, pid } = workerData;
let label = null;
let last = Atomics.load(heart, 0);
let since = Date.now();
parentPort.on('message', (m) => { label = m; last = Atomics.load(heart, 0); since = Date.now(); });
setInterval(() => {
  const now = Atomics.load(heart, 0);
  if (now !== last || label === null) { last = now; since = Date.now(); return; }
  if (Date.now() - since < stallMs) return;
  writeSync(2, '\\nbench: no progress for ' + Math.round((Date.now() - since) / 1000) + ' s in "' + label +
    '": the process is stuck (likely blocked in native code); killing it\\n');
  process.kill(pid, 'SIGKILL');
}, 500);
`;

export class Watchdog {
  readonly #worker: Worker;

  constructor(stallMs: number) {
    const heart = new Int32Array(new SharedArrayBuffer(4));
    setHeartbeat(heart);
    this.#worker = new Worker(SOURCE, {
      eval: true,
      workerData: { heart, stallMs, pid: process.pid },
    });
    this.#worker.unref();
  }

  /** Watches from now on, naming `label` if it stalls; null pauses watching. */
  watch(label: string | null): void {
    this.#worker.postMessage(label);
  }

  stop(): void {
    setHeartbeat(undefined);
    void this.#worker.terminate();
  }
}
