/**
 * A deterministic simulated network for DatagramEndpoints: the same endpoints
 * that run on node:dgram, under a virtual clock, over links with delay, jitter,
 * loss, duplication, reordering, corruption, limited bandwidth and MTU. Nothing
 * here reads a real clock or sets a real timer; a run is a function of its seed.
 */
import { addressKey, type DatagramEndpoint, type SocketAddress } from '../endpoint/contract.js';
import { EventQueue } from './event-queue.js';
import {
  type DropCause,
  emptyStats,
  IDEAL_LINK,
  Link,
  type LinkConditions,
  type LinkStats,
  resolveConditions,
} from './link.js';
import { formatTrace, type TraceEvent } from './trace.js';

export interface SimNetworkOptions {
  /** Seeds every random choice; any safe integer. */
  readonly seed: number;
  /** Conditions of every link not set with link()/linkOneWay(), over IDEAL_LINK. */
  readonly defaults?: Partial<LinkConditions>;
  /** Virtual time at the start, ms (default 0). */
  readonly startMs?: number;
  /** Record a trace (default true); turn off for very long runs. */
  readonly trace?: boolean;
}

export interface RunOptions {
  /** Stop before the first event after this virtual time and move the clock to it. */
  readonly until?: number;
  /** Stop after this many events (default 1,000,000), to catch a livelock. */
  readonly maxEvents?: number;
}

export interface RunResult {
  /** Events processed by this call. */
  readonly events: number;
  /** Why it stopped: nothing left to do, reached `until`, or hit `maxEvents`. */
  readonly reason: 'idle' | 'until' | 'maxEvents';
}

export interface InjectOptions {
  /** Virtual time of the injection (default now). */
  readonly at?: number;
  /** Send it through the from→to link and its conditions instead of delivering it exactly at `at`. */
  readonly viaLink?: boolean;
}

interface Host {
  readonly endpoint: DatagramEndpoint;
  readonly address: SocketAddress;
  readonly key: string;
  /** The deadline the pending timer event was scheduled for. */
  deadline: number | undefined;
  /** Bumped on every re-arm and on removal; older timer events are stale. */
  generation: number;
  removed: boolean;
}

type SimEvent =
  | {
      readonly type: 'deliver';
      readonly id: number;
      readonly from: SocketAddress;
      readonly to: SocketAddress;
      readonly data: Uint8Array;
      readonly link: Link | undefined;
      readonly duplicate: boolean;
      readonly corruptedBit: number | undefined;
    }
  | { readonly type: 'timer'; readonly host: Host; readonly generation: number }
  | { readonly type: 'call'; readonly fn: () => void; readonly label: string };

const DEFAULT_MAX_EVENTS = 1_000_000;

export class SimNetwork {
  /** Every event of the run so far (empty when tracing is off). */
  readonly trace: TraceEvent[] = [];
  readonly #seed: number;
  readonly #tracing: boolean;
  readonly #defaults: LinkConditions;
  readonly #queue = new EventQueue<SimEvent>();
  readonly #hosts = new Map<string, Host>();
  readonly #byEndpoint = new Map<DatagramEndpoint, Host>();
  readonly #links = new Map<string, Link>();
  #now: number;
  #nextId = 0;

  constructor(options: SimNetworkOptions) {
    if (!Number.isSafeInteger(options.seed)) {
      throw new RangeError(`SimNetwork: seed must be a safe integer, not ${options.seed}`);
    }
    this.#seed = options.seed;
    this.#tracing = options.trace ?? true;
    this.#defaults = resolveConditions(options.defaults ?? {}, IDEAL_LINK);
    this.#now = options.startMs ?? 0;
  }

  /** Virtual time, ms. */
  get now(): number {
    return this.#now;
  }

  /** Time of the next pending event, or undefined when there is none. */
  get nextEventTime(): number | undefined {
    return this.#peekLive()?.time;
  }

  /**
   * Attaches an endpoint at `address`, then drains its poll() and arms its
   * timer, so an endpoint that queued its first flight before joining sends it now.
   */
  addEndpoint(endpoint: DatagramEndpoint, address: SocketAddress): void {
    const key = addressKey(address);
    if (this.#hosts.has(key)) throw new Error(`SimNetwork: ${key} is already in use`);
    if (this.#byEndpoint.has(endpoint)) throw new Error('SimNetwork: endpoint already added');
    const host: Host = {
      endpoint,
      address,
      key,
      deadline: undefined,
      generation: 0,
      removed: false,
    };
    this.#hosts.set(key, host);
    this.#byEndpoint.set(endpoint, host);
    this.#service(host);
  }

  /** Detaches an endpoint; datagrams still in flight to it are dropped as unroutable. */
  removeEndpoint(target: DatagramEndpoint | SocketAddress): void {
    const host = this.#host(target);
    host.removed = true;
    host.generation++;
    this.#hosts.delete(host.key);
    this.#byEndpoint.delete(host.endpoint);
  }

  /** Sets the conditions of both directions between a and b, over the network defaults. */
  link(a: SocketAddress, b: SocketAddress, conditions: Partial<LinkConditions>): void {
    this.linkOneWay(a, b, conditions);
    this.linkOneWay(b, a, conditions);
  }

  /** Sets the conditions of the from→to direction only, over the network defaults. */
  linkOneWay(from: SocketAddress, to: SocketAddress, conditions: Partial<LinkConditions>): void {
    this.#link(from, to).conditions = resolveConditions(conditions, this.#defaults);
  }

  /** Counters of the from→to direction. */
  stats(from: SocketAddress, to: SocketAddress): Readonly<LinkStats> {
    return this.#link(from, to).stats;
  }

  /** Counters summed over every link. */
  totalStats(): LinkStats {
    const total = emptyStats();
    for (const { stats } of this.#links.values()) {
      total.sent += stats.sent;
      total.delivered += stats.delivered;
      total.duplicated += stats.duplicated;
      total.corrupted += stats.corrupted;
      total.bytesSent += stats.bytesSent;
      total.bytesDelivered += stats.bytesDelivered;
      for (const cause of Object.keys(total.dropped) as DropCause[]) {
        total.dropped[cause] += stats.dropped[cause];
      }
    }
    return total;
  }

  /**
   * Puts a datagram on the network that no endpoint sent: a spoofed packet, a
   * replay, a crafted malformed datagram. By default it is delivered exactly at
   * `at`, bypassing link conditions and counters.
   */
  inject(
    datagram: { from: SocketAddress; to: SocketAddress; data: Uint8Array },
    options: InjectOptions = {},
  ): void {
    const at = Math.max(this.#now, options.at ?? this.#now);
    const data = datagram.data.slice();
    if (options.viaLink) {
      this.#queue.push(at, {
        type: 'call',
        label: `inject via ${addressKey(datagram.from)} -> ${addressKey(datagram.to)}`,
        fn: () => this.#transmit(datagram.from, datagram.to, data),
      });
      return;
    }
    const id = ++this.#nextId;
    this.#record({
      t: this.#now,
      kind: 'inject',
      id,
      ...this.#ends(datagram.from, datagram.to),
      size: data.length,
    });
    this.#queue.push(at, {
      type: 'deliver',
      id,
      from: datagram.from,
      to: datagram.to,
      data,
      link: undefined,
      duplicate: false,
      corruptedBit: undefined,
    });
  }

  /**
   * Drains the endpoint's poll() now and re-reads its deadline: call it after
   * the application changed the endpoint outside receive/handleTimeout.
   */
  wake(target: DatagramEndpoint | SocketAddress): void {
    const host = this.#host(target);
    this.#record({ t: this.#now, kind: 'wake', at: host.key });
    this.#service(host);
  }

  /** Runs `fn` at virtual time `at` (or now, if `at` has passed), e.g. an application action. */
  schedule(at: number, fn: () => void, label = 'scheduled'): void {
    this.#queue.push(Math.max(this.#now, at), { type: 'call', fn, label });
  }

  /** Processes the next event, advancing the clock to it. False when nothing is pending. */
  step(): boolean {
    const next = this.#peekLive();
    if (!next) return false;
    this.#queue.pop();
    this.#now = Math.max(this.#now, next.time);
    this.#process(next.value);
    return true;
  }

  /** Processes events in time order until idle, `until`, or `maxEvents`. */
  run(options: RunOptions = {}): RunResult {
    const { until } = options;
    const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
    let events = 0;
    for (;;) {
      const next = this.#peekLive();
      if (until !== undefined && (!next || next.time > until)) {
        this.#now = Math.max(this.#now, until);
        return { events, reason: next ? 'until' : 'idle' };
      }
      if (!next) return { events, reason: 'idle' };
      if (events >= maxEvents) return { events, reason: 'maxEvents' };
      this.step();
      events++;
    }
  }

  /** The trace as text, one event a line; `last` keeps only the tail. */
  formatTrace(last?: number): string {
    return formatTrace(last === undefined ? this.trace : this.trace.slice(-last));
  }

  #process(event: SimEvent): void {
    switch (event.type) {
      case 'deliver':
        this.#deliver(event);
        break;
      case 'timer':
        this.#fire(event.host);
        break;
      case 'call':
        this.#record({ t: this.#now, kind: 'call', label: event.label });
        event.fn();
        break;
    }
  }

  #deliver(event: Extract<SimEvent, { type: 'deliver' }>): void {
    const { id, from, to, data, link } = event;
    const host = this.#hosts.get(addressKey(to));
    const ends = this.#ends(from, to);
    if (!host) {
      if (link) link.stats.dropped.unroutable++;
      this.#record({
        t: this.#now,
        kind: 'drop',
        id,
        ...ends,
        size: data.length,
        cause: 'unroutable',
      });
      return;
    }
    if (link) {
      link.stats.delivered++;
      link.stats.bytesDelivered += data.length;
    }
    this.#record({
      t: this.#now,
      kind: 'deliver',
      id,
      ...ends,
      size: data.length,
      ...(event.duplicate ? { duplicate: true as const } : {}),
      ...(event.corruptedBit !== undefined ? { corruptedBit: event.corruptedBit } : {}),
    });
    host.endpoint.receive({ data, remote: from, local: host.address }, this.#now);
    this.#service(host);
  }

  #fire(host: Host): void {
    host.deadline = undefined;
    // The application may have moved the deadline without a wake(); only a
    // deadline that is really due is fired, anything else is re-armed.
    const due = host.endpoint.nextDeadline();
    if (due !== undefined && due <= this.#now) {
      this.#record({ t: this.#now, kind: 'timeout', at: host.key });
      host.endpoint.handleTimeout(this.#now);
    }
    this.#service(host);
  }

  /** Drains poll() and re-arms the timer: what a driver does after every call into an endpoint. */
  #service(host: Host): void {
    if (host.removed) return;
    for (;;) {
      const out = host.endpoint.poll(this.#now);
      if (out === undefined) break;
      this.#transmit(host.address, out.remote, out.data);
    }
    const deadline = host.endpoint.nextDeadline();
    if (deadline === host.deadline) return;
    host.deadline = deadline;
    host.generation++;
    if (deadline !== undefined) {
      this.#queue.push(Math.max(this.#now, deadline), {
        type: 'timer',
        host,
        generation: host.generation,
      });
    }
  }

  #transmit(from: SocketAddress, to: SocketAddress, data: Uint8Array): void {
    const id = ++this.#nextId;
    const ends = this.#ends(from, to);
    this.#record({ t: this.#now, kind: 'send', id, ...ends, size: data.length });
    const link = this.#link(from, to);
    const fate = link.offer(data, this.#now);
    if (fate.dropped) {
      this.#record({
        t: this.#now,
        kind: 'drop',
        id,
        ...ends,
        size: data.length,
        cause: fate.dropped,
      });
      return;
    }
    for (const copy of fate.copies) {
      this.#queue.push(copy.arrival, {
        type: 'deliver',
        id,
        from,
        to,
        data: copy.data,
        link,
        duplicate: copy.duplicate,
        corruptedBit: copy.corruptedBit,
      });
    }
  }

  /** The next event that is not a superseded timer, discarding those on the way. */
  #peekLive(): { time: number; value: SimEvent } | undefined {
    for (;;) {
      const next = this.#queue.peek();
      if (!next) return undefined;
      const e = next.value;
      if (e.type !== 'timer' || (e.generation === e.host.generation && !e.host.removed))
        return next;
      this.#queue.pop();
    }
  }

  #link(from: SocketAddress, to: SocketAddress): Link {
    const key = `${addressKey(from)}>${addressKey(to)}`;
    let link = this.#links.get(key);
    if (!link) {
      link = new Link(from, to, this.#defaults, this.#seed);
      this.#links.set(key, link);
    }
    return link;
  }

  #host(target: DatagramEndpoint | SocketAddress): Host {
    const host =
      'poll' in target ? this.#byEndpoint.get(target) : this.#hosts.get(addressKey(target));
    if (!host) throw new Error('SimNetwork: no such endpoint');
    return host;
  }

  #ends(from: SocketAddress, to: SocketAddress): { from: string; to: string } {
    return { from: addressKey(from), to: addressKey(to) };
  }

  #record(event: TraceEvent): void {
    if (this.#tracing) this.trace.push(event);
  }
}
