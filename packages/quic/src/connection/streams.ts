/**
 * A connection's streams (RFC 9000 §2-§4): the stream map with MAX_STREAMS in
 * both directions, connection- and stream-level flow control, the frames that
 * act on streams, and the stream part of each 1-RTT packet.
 */
import { varintLength } from '@x/wire';
import type { Frame } from '../frame/codec.js';
import type { ResetStreamFrame } from '../frame/reset-stream.js';
import type { StopSendingFrame } from '../frame/stop-sending.js';
import type { StreamFrame } from '../frame/stream.js';
import { ReceiveWindow, SendCredit } from '../stream/flow-control.js';
import { StreamState } from '../stream/stream.js';
import { isBidirectional, isClientInitiated, StreamMap } from '../stream/stream-map.js';
import type { TransportParameters } from '../transport-parameters.js';
import type { ConnectionEvent } from './state.js';

/** Stream receive windows may auto-tune up to this multiple of their initial size. */
const WINDOW_GROWTH = 8;

export class ConnectionStreams {
  readonly #role: 'client' | 'server';
  readonly #local: TransportParameters;
  readonly #events: ConnectionEvent[];
  /** The connection's queue of control frames (RESET_STREAM, STOP_SENDING, STREAMS_BLOCKED go there). */
  readonly #control: Frame[];
  readonly #map: StreamMap<StreamState>;
  readonly #sendWindow = new SendCredit(0);
  readonly #recvWindow: ReceiveWindow;
  readonly #readable = new Set<number>();
  /**
   * Streams that may have something to send: added whenever data, a FIN or a
   * lost frame is queued, dropped once found idle. Scheduling then costs the
   * streams that send, not every open one.
   */
  readonly #sending = new Set<number>();
  readonly #maxStreamData = new Set<number>();
  #maxDataQueued = false;
  readonly #maxStreamsQueued: [number | undefined, number | undefined] = [undefined, undefined];
  #peer: TransportParameters | undefined;
  #roundRobin = 0;

  constructor(
    role: 'client' | 'server',
    local: TransportParameters,
    events: ConnectionEvent[],
    control: Frame[],
  ) {
    this.#role = role;
    this.#local = local;
    this.#events = events;
    this.#control = control;
    this.#recvWindow = new ReceiveWindow(local.initialMaxData, local.initialMaxData * 4);
    this.#map = new StreamMap<StreamState>({
      role,
      maxRemoteBidi: local.initialMaxStreamsBidi,
      maxRemoteUni: local.initialMaxStreamsUni,
      create: (id, isLocal) => this.#create(id, isLocal),
    });
  }

  #isLocal(id: number): boolean {
    return isClientInitiated(id) === (this.#role === 'client');
  }

  /** The peer's initial_max_stream_data_* for a stream's sending part (§18.2). */
  #sendLimit(id: number, p: TransportParameters): number {
    if (!isBidirectional(id)) return p.initialMaxStreamDataUni;
    return this.#isLocal(id) ? p.initialMaxStreamDataBidiRemote : p.initialMaxStreamDataBidiLocal;
  }

  #create(id: number, isLocal: boolean): StreamState {
    const bidi = isBidirectional(id);
    const l = this.#local;
    const window = bidi
      ? isLocal
        ? l.initialMaxStreamDataBidiLocal
        : l.initialMaxStreamDataBidiRemote
      : l.initialMaxStreamDataUni;
    const parts = { send: bidi || isLocal, recv: bidi || !isLocal };
    if (!isLocal) this.#events.push({ kind: 'stream-opened', id });
    const sendLimit = this.#peer ? this.#sendLimit(id, this.#peer) : 0;
    return new StreamState(id, parts, sendLimit, window, window * WINDOW_GROWTH);
  }

  /**
   * The peer's transport parameters (or, for 0-RTT, those remembered with the
   * ticket): limits for our sending and stream opening.
   */
  applyPeer(p: TransportParameters): void {
    this.#peer = p;
    this.#sendWindow.onMaxData(p.initialMaxData);
    this.#map.onMaxStreams(true, p.initialMaxStreamsBidi);
    this.#map.onMaxStreams(false, p.initialMaxStreamsUni);
    for (const [id, st] of this.#map) st.sendCredit.onMaxData(this.#sendLimit(id, p));
  }

  /**
   * The server refused our 0-RTT (RFC 9001 §4.6.2): it processed none of it.
   * Every stream starts its data over, under the server's new limits (lower
   * ones too); streams beyond its new stream limit wait for MAX_STREAMS.
   */
  restartAfterRefused0Rtt(p: TransportParameters): void {
    this.#peer = p;
    this.#sendWindow.restart(p.initialMaxData);
    for (const bidirectional of [true, false]) {
      const limit = bidirectional ? p.initialMaxStreamsBidi : p.initialMaxStreamsUni;
      this.#map.resetLocalLimit(bidirectional, limit);
      // §4.6: say that streams wait for the limit (they were opened, so open() will not).
      if (this.#map.localOpened(bidirectional) > limit)
        this.#control.push({ type: 'streams_blocked', bidirectional, maximumStreams: limit });
    }
    for (const [id, st] of this.#map) {
      st.sendCredit.restart(this.#sendLimit(id, p));
      st.highestSent = 0;
      if (st.resetSent !== undefined) {
        // The server saw none of the data: a reset's final size is now 0 (§4.5).
        st.resetSent.finalSize = 0;
        this.#control.forEach((f, i) => {
          if (f.type === 'reset_stream' && f.streamId === id)
            this.#control[i] = { ...f, finalSize: 0 };
        });
      } else if (st.send !== undefined) {
        st.send.rewind();
        this.#sending.add(id);
      }
    }
  }

  /** Whether a frame about one of our streams may go now: not while the stream waits for MAX_STREAMS. */
  mayCarry(f: Frame): boolean {
    switch (f.type) {
      case 'reset_stream':
      case 'stop_sending':
      case 'stream_data_blocked':
      case 'max_stream_data':
        return !this.#isLocal(f.streamId) || this.#map.withinLimit(f.streamId);
      default:
        return true;
    }
  }

  /** Whether the application has written (or ended) any stream of ours. */
  get hasWritten(): boolean {
    for (const [id, st] of this.#map)
      if (
        this.#isLocal(id) &&
        st.send !== undefined &&
        (st.send.writeOffset > 0 || st.send.finished)
      )
        return true;
    return false;
  }

  // ---- application side ------------------------------------------------------

  open(bidirectional: boolean): number | undefined {
    const opened = this.#map.open(bidirectional);
    if (opened === undefined) {
      this.#control.push({
        type: 'streams_blocked',
        bidirectional,
        maximumStreams: this.#map.localLimit(bidirectional),
      });
    }
    return opened?.id;
  }

  write(id: number, data: Uint8Array, fin: boolean): void {
    const st = this.#map.get(id);
    if (st?.send === undefined) throw new RangeError(`stream ${id} cannot send`);
    if (st.resetSent !== undefined) throw new RangeError(`stream ${id} was reset`);
    st.send.write(data);
    if (fin) st.send.finish();
    this.#sending.add(id);
  }

  buffered(id: number): number {
    const st = this.#map.get(id);
    return st?.send ? st.send.writeOffset - st.send.ackedOffset : 0;
  }

  read(
    id: number,
    max: number | undefined,
    now: number,
    smoothedRtt: number,
  ): { data: Uint8Array | undefined; fin: boolean; reset?: number } | undefined {
    const st = this.#map.get(id);
    if (st?.recv === undefined) return undefined;
    if (st.resetReceived !== undefined) {
      st.finRead = true;
      this.#maybeForget(st);
      return { data: undefined, fin: true, reset: st.resetReceived };
    }
    const data = st.recv.read(max);
    if (data !== undefined) {
      // §4.2: raise the limits as the application consumes data.
      if (st.recvWindow.onConsumed(data.length, now, smoothedRtt) !== undefined) {
        this.#maxStreamData.add(id);
      }
      if (this.#recvWindow.onConsumed(data.length, now, smoothedRtt) !== undefined) {
        this.#maxDataQueued = true;
      }
    }
    const fin = st.recv.finished;
    if (fin && !st.finRead) {
      st.finRead = true;
      this.#maybeForget(st);
    }
    return { data, fin };
  }

  reset(id: number, errorCode: number): void {
    const st = this.#map.get(id);
    if (st?.send === undefined || st.resetSent !== undefined) return;
    // §4.5: the final size is the flow-control credit consumed so far.
    st.resetSent = { code: errorCode, finalSize: st.highestSent, acked: false };
    this.#control.push({
      type: 'reset_stream',
      streamId: id,
      applicationErrorCode: errorCode,
      finalSize: st.highestSent,
    });
  }

  stopSending(id: number, errorCode: number): void {
    const st = this.#map.get(id);
    if (st?.recv === undefined) return;
    this.#control.push({ type: 'stop_sending', streamId: id, applicationErrorCode: errorCode });
  }

  #maybeForget(st: StreamState): void {
    if (!st.finished) return;
    const next = this.#map.close(st.id);
    this.#maxStreamData.delete(st.id);
    if (next !== undefined) this.#maxStreamsQueued[isBidirectional(st.id) ? 0 : 1] = next;
  }

  /** Moves "readable" notes into events, once per stream per received datagram. */
  flushReadable(): void {
    for (const id of this.#readable) this.#events.push({ kind: 'stream-readable', id });
    this.#readable.clear();
  }

  // ---- frames from the peer ------------------------------------------------------

  onStream(f: StreamFrame, frameType: number): void {
    const st = this.#map.forPeerFrame(f.streamId, 'receive', frameType);
    if (st?.recv === undefined || st.resetReceived !== undefined) return;
    const advanced = st.recv.insert(f.offset, f.data, f.fin);
    if (advanced > 0) {
      st.recvWindow.onReceived(advanced);
      this.#recvWindow.onReceived(advanced);
    }
    const r = st.recv;
    if (
      r.readable > 0 ||
      (r.finalSize !== undefined && r.readOffset === r.finalSize && !st.finRead)
    ) {
      this.#readable.add(f.streamId);
    }
  }

  onResetStream(f: ResetStreamFrame, frameType: number): void {
    const st = this.#map.forPeerFrame(f.streamId, 'receive', frameType);
    if (st?.recv === undefined || st.resetReceived !== undefined) return;
    const advanced = Math.max(0, st.recv.reset(f.finalSize));
    st.recvWindow.onReceived(advanced);
    this.#recvWindow.onReceived(advanced);
    st.resetReceived = f.applicationErrorCode;
    this.#events.push({ kind: 'stream-reset', id: f.streamId, errorCode: f.applicationErrorCode });
    this.#readable.add(f.streamId);
  }

  onStopSending(f: StopSendingFrame, frameType: number): void {
    const st = this.#map.forPeerFrame(f.streamId, 'send', frameType);
    if (st === undefined || st.stopSendingReceived !== undefined) return;
    st.stopSendingReceived = f.applicationErrorCode;
    // §3.5: answer STOP_SENDING with RESET_STREAM.
    this.reset(f.streamId, f.applicationErrorCode);
    this.#events.push({
      kind: 'stream-stopped',
      id: f.streamId,
      errorCode: f.applicationErrorCode,
    });
  }

  onMaxData(maximumData: number): void {
    this.#sendWindow.onMaxData(maximumData);
  }

  onMaxStreamData(streamId: number, maximum: number, frameType: number): void {
    this.#map.forPeerFrame(streamId, 'send', frameType)?.sendCredit.onMaxData(maximum);
  }

  onMaxStreams(bidirectional: boolean, maximum: number): void {
    this.#map.onMaxStreams(bidirectional, maximum);
  }

  // ---- our frames acknowledged or lost --------------------------------------------

  /** A stream-related frame of ours was acknowledged. */
  onAcked(f: Frame): void {
    if (f.type === 'stream') {
      const st = this.#map.get(f.streamId);
      if (st?.send === undefined) return;
      st.send.onAcked(f.offset, f.data.length, f.fin);
      this.#maybeForget(st);
    } else if (f.type === 'reset_stream') {
      const st = this.#map.get(f.streamId);
      if (st?.resetSent === undefined) return;
      st.resetSent.acked = true;
      this.#maybeForget(st);
    }
  }

  /** A stream-related frame of ours was lost: queue it (or its current value) again. */
  onLost(f: Frame): void {
    switch (f.type) {
      case 'stream': {
        const st = this.#map.get(f.streamId);
        if (st?.send !== undefined && st.resetSent === undefined) {
          st.send.onLost(f.offset, f.data.length, f.fin);
          this.#sending.add(f.streamId);
        }
        return;
      }
      case 'max_data':
        this.#maxDataQueued = true;
        return;
      case 'max_stream_data':
        if (this.#map.get(f.streamId) !== undefined) this.#maxStreamData.add(f.streamId);
        return;
      case 'max_streams': {
        const k = f.bidirectional ? 0 : 1;
        this.#maxStreamsQueued[k] = Math.max(this.#maxStreamsQueued[k] ?? 0, f.maximumStreams);
        return;
      }
      default:
        return;
    }
  }

  // ---- sending ----------------------------------------------------------------------

  /** Stream data (or a FIN) waits to be sent. */
  get wantsToSend(): boolean {
    for (const id of this.#sending) if (this.#stillSending(id)) return true;
    return this.#maxDataQueued || this.#maxStreamData.size > 0;
  }

  /** Whether a stream of the sending set has something to send; it leaves the set once idle. */
  #stillSending(id: number): boolean {
    if (this.#map.get(id)?.wantsToSend) return true;
    this.#sending.delete(id);
    return false;
  }

  /**
   * Adds flow-control updates and stream data (round-robin across streams) to a
   * 1-RTT packet. `push` adds a frame if it fits; returns the room left.
   */
  fill(frames: Frame[], push: (f: Frame) => boolean, room: () => number): number {
    if (this.#maxDataQueued && push({ type: 'max_data', maximumData: this.#recvWindow.limit })) {
      this.#maxDataQueued = false;
    }
    for (const id of this.#maxStreamData) {
      const st = this.#map.get(id);
      if (st !== undefined) {
        const f: Frame = {
          type: 'max_stream_data',
          streamId: id,
          maximumStreamData: st.recvWindow.limit,
        };
        if (!push(f)) break;
      }
      this.#maxStreamData.delete(id);
    }
    for (const k of [0, 1] as const) {
      const n = this.#maxStreamsQueued[k];
      if (
        n !== undefined &&
        push({ type: 'max_streams', bidirectional: k === 0, maximumStreams: n })
      ) {
        this.#maxStreamsQueued[k] = undefined;
      }
    }
    let avail = room();
    const ids: number[] = [];
    for (const id of this.#sending) if (this.#stillSending(id)) ids.push(id);
    if (ids.length === 0) return avail;
    const start = this.#roundRobin % ids.length;
    for (let i = 0; i < ids.length && avail > 12; i++) {
      const st = this.#map.get(ids[(start + i) % ids.length]!)!;
      if (this.#isLocal(st.id) && !this.#map.withinLimit(st.id)) continue;
      // Type, stream ID, offset (up to 8) and a 2-byte length.
      const header = 1 + varintLength(st.id) + 8 + 2;
      if (avail <= header) break;
      const connRoom = this.#sendWindow.available;
      const limit = Math.min(st.sendCredit.limit, st.highestSent + connRoom);
      const chunk = st.send!.next(avail - header, limit);
      if (chunk === undefined) {
        // §4.1: say when flow control, not the application, holds data back.
        const blocked = connRoom === 0 ? this.#sendWindow.blocked() : undefined;
        if (blocked !== undefined && push({ type: 'data_blocked', maximumData: blocked })) {
          avail = room();
        }
        continue;
      }
      const end = chunk.offset + chunk.data.length;
      if (end > st.highestSent) {
        const fresh = end - st.highestSent;
        this.#sendWindow.consume(fresh);
        st.sendCredit.consume(fresh);
        st.highestSent = end;
      }
      frames.push({
        type: 'stream',
        streamId: st.id,
        offset: chunk.offset,
        data: chunk.data,
        fin: chunk.fin,
        explicitLength: true,
      });
      avail -= header - 8 + varintLength(chunk.offset) + chunk.data.length;
      this.#roundRobin = (start + i + 1) % ids.length;
    }
    return avail;
  }
}
