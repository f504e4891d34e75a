import { type SocketAddress, varintLength } from '@x/wire';
import { TransportError } from '../errors.js';
import type { AckFrame } from '../frame/ack.js';
import { type Frame, frameTypeOf, isAckEliciting } from '../frame/codec.js';
import { cryptoFrameOverhead } from '../frame/crypto.js';
import { isFramePermitted } from '../frame/permitted.js';
import { buildPacket, MIN_INITIAL_DATAGRAM_SIZE } from '../packet/builder.js';
import { QUIC_V1 } from '../packet/header.js';
import type { PacketProtection } from '../packet/protection.js';
import type { PacketNumberSpace } from '../recovery/loss-detection.js';
import { CloseState } from './close.js';
import { AEAD_TAG, frameSize, type PlannedPacket, SPACES } from './core.js';
import { ConnectionReceiver } from './receive.js';

/** The long header type of each space's packets (the application space's before 1-RTT keys: 0-RTT). */
const LONG_TYPE = { initial: 'initial', handshake: 'handshake', application: '0rtt' } as const;

/** @internal Sending: packets planned per space, protected and coalesced into datagrams. */
export abstract class ConnectionSender extends ConnectionReceiver {
  // ---- sending -------------------------------------------------------------------

  /** The next datagram to send, or undefined when nothing may be sent now. */
  send(now: number): { datagram: Uint8Array; to: SocketAddress } | undefined {
    this._now = now;
    if (this._closed) return undefined;
    if (this._closeState !== undefined) {
      if (!this._closeResend || this._closeState.kind === 'draining') return undefined;
      this._closeResend = false;
      return this._sendClose(now);
    }
    if (this._closeFrame !== undefined) {
      const out = this._sendClose(now);
      const pto = this._loss.rtt.pto(this._loss.maxAckDelay);
      this._closeState = CloseState.closing(now, pto);
      this._events.push({ kind: 'closed', reason: this._closeReason! });
      if (out === undefined) this._closed = true;
      return out;
    }
    return this._sendPackets(now);
  }

  protected _budget(): number {
    let budget = this._maxDatagramSize;
    if (!this._amplification.validated) {
      budget = Math.min(budget, this._amplification.allowance);
    }
    return budget;
  }

  /** Application data goes in 1-RTT packets, or in 0-RTT ones until a client has 1-RTT keys. */
  protected _appProtection(): PacketProtection | undefined {
    return this._writeKeys?.current ?? this._zeroRttWrite;
  }

  protected _headerOverhead(space: PacketNumberSpace): number {
    const dcid = this.destinationCid.length;
    if (space === 'application' && this._writeKeys !== undefined) return 1 + dcid + 4 + AEAD_TAG;
    // Long headers (Initial, 0-RTT, Handshake).
    const token =
      space === 'initial' && this.role === 'client'
        ? varintLength(this._token.length) + this._token.length
        : space === 'initial'
          ? 1
          : 0;
    return 1 + 4 + 1 + dcid + 1 + this.sourceCid.length + token + 2 + 4 + AEAD_TAG;
  }

  protected _sendPackets(now: number): { datagram: Uint8Array; to: SocketAddress } | undefined {
    const budget = this._budget();
    if (budget < 64) {
      this._loss.atAntiAmplificationLimit = true;
      return undefined;
    }
    const probing =
      this._spaces.initial.probes +
        this._spaces.handshake.probes +
        this._spaces.application.probes >
      0;
    // Probes may exceed the window (RFC 9002 §7.5), but only in the space that probes.
    const windowOpen = this._loss.congestion.available > 0;
    let paced = true;
    if (!probing && this._hasAppData()) {
      const at = this._pacer.nextSendTime(
        now,
        this._maxDatagramSize,
        this._loss.congestion.congestionWindow,
        this._loss.rtt.smoothedRtt,
      );
      if (at > now) {
        paced = false;
        this._pacingUntil = at;
      }
    }
    const probe = this._pmtuProbe(windowOpen && paced && !probing);
    if (probe !== undefined) return probe;
    const plans: PlannedPacket[] = [];
    let room = budget;
    for (const name of SPACES) {
      const s = this._spaces[name];
      const write = name === 'application' ? this._appProtection() : s.write;
      if (write === undefined || s.discarded) continue;
      const zeroRtt = name === 'application' && this._writeKeys === undefined;
      const overhead = this._headerOverhead(name);
      if (room < overhead + 24) break;
      let avail = room - overhead;
      const frames: Frame[] = [];
      let ackEliciting = false;
      let hasAck = false;
      // RFC 9000 §13.2.1: an ACK goes out alone only when one is due (2 ack-eliciting
      // packets, max_ack_delay, reordering); otherwise it rides on packets we send anyway.
      let ack: AckFrame | undefined;
      let ackSize = 0;
      // 0-RTT packets carry no ACK (RFC 9000 §17.2.3).
      if (!zeroRtt && s.received.hasAnything && s.received.ackDeadline !== undefined) {
        const exponent = name === 'application' ? this._localParams.ackDelayExponent : 0;
        ack = s.received.buildAck(now, exponent);
        ackSize = ack === undefined ? 0 : frameSize(ack);
        if (ack !== undefined && ackSize <= avail) {
          frames.push(ack);
          avail -= ackSize;
          hasAck = true;
        }
      }
      const ackDue = hasAck && s.received.ackRequired(now);
      // A server's ack-eliciting Initial needs a 1200-byte datagram (RFC 9000 §14.1).
      const initialBlocked =
        name === 'initial' && this.role === 'server' && budget < MIN_INITIAL_DATAGRAM_SIZE;
      if ((windowOpen || s.probes > 0) && !initialBlocked) {
        while (s.crypto.hasPending && avail > 16) {
          const f = s.crypto.nextFrame(avail - 8);
          if (f === undefined) break;
          frames.push(f);
          avail -= cryptoFrameOverhead(f.offset, f.data.length) + f.data.length;
          ackEliciting = true;
        }
        if (name === 'application' && (paced || s.probes > 0)) {
          avail = this._appFrames(frames, avail, zeroRtt);
          if (frames.some(isAckEliciting)) ackEliciting = true;
        }
        if (s.probes > 0 && !ackEliciting && avail > 1) {
          frames.push({ type: 'ping' });
          avail -= 1;
          ackEliciting = true;
        }
      }
      if (hasAck && !ackDue && frames.length === 1) {
        // Only a piggyback ACK and nothing to carry it: wait for the ACK to be due.
        frames.pop();
        avail += ackSize;
        hasAck = false;
      }
      if (frames.length === 0) continue;
      plans.push({ space: name, frames, ackEliciting, hasAck });
      room = avail;
    }
    if (plans.length === 0) return undefined;
    // RFC 9000 §12.2: coalesce by encryption level, 0-RTT before Handshake. Planned
    // in space order, so Handshake (ACKs, probes) gets room before 0-RTT data.
    if (this._writeKeys === undefined && plans.at(-1)!.space === 'application') {
      const handshake = plans.findIndex((p) => p.space === 'handshake');
      if (handshake >= 0) plans.splice(handshake, 0, plans.pop()!);
    }
    return this._emit(now, plans);
  }

  /** RFC 9000 §14.3: a PING padded to the next PMTU candidate, once 1-RTT is confirmed. */
  protected _pmtuProbe(mayProbe: boolean): { datagram: Uint8Array; to: SocketAddress } | undefined {
    // Only a connection with data queued probes: larger datagrams pay off for bulk
    // transfers, and short or idle connections then never spend a probe.
    if (!mayProbe || !this._handshakeConfirmed) return undefined;
    const size = this._pmtu.probeSize();
    if (size === undefined || this._loss.congestion.available < size) return undefined;
    if (!this._streams.wantsToSend) return undefined;
    const pn = this._spaces.application.nextPn;
    const out = this._emit(
      this._now,
      [{ space: 'application', frames: [{ type: 'ping' }], ackEliciting: true, hasAck: false }],
      size,
    );
    this._pmtu.onProbeSent(pn);
    return out;
  }

  protected _hasAppData(): boolean {
    if (this._appProtection() === undefined) return false;
    if (this._streams.wantsToSend) return true;
    return this._control.length > 0;
  }

  /** Control frames, then stream data round-robin, into the 1-RTT (or 0-RTT) packet. */
  protected _appFrames(frames: Frame[], availIn: number, zeroRtt: boolean): number {
    let avail = availIn;
    const push = (f: Frame): boolean => {
      const size = frameSize(f);
      if (size > avail) return false;
      frames.push(f);
      avail -= size;
      return true;
    };
    if (this._handshakeDoneQueued && this.role === 'server' && push({ type: 'handshake_done' })) {
      this._handshakeDoneQueued = false;
    }
    // Frames that may not go yet stay queued: those RFC 9000 §12.4 forbids in
    // 0-RTT, and those about a stream waiting for MAX_STREAMS (after a refused 0-RTT).
    for (let i = 0; i < this._control.length; ) {
      const f = this._control[i]!;
      if ((zeroRtt && !isFramePermitted(frameTypeOf(f), '0rtt')) || !this._streams.mayCarry(f)) i++;
      else if (push(f)) this._control.splice(i, 1);
      else break;
    }
    return this._streams.fill(frames, push, () => avail);
  }

  protected _sendClose(now: number): { datagram: Uint8Array; to: SocketAddress } | undefined {
    const close = this._closeFrame!;
    const plans: PlannedPacket[] = [];
    for (const name of SPACES) {
      const s = this._spaces[name];
      const write = name === 'application' ? this._writeKeys?.current : s.write;
      if (write === undefined || s.discarded) continue;
      // RFC 9000 §10.2.3: an application close before 1-RTT becomes APPLICATION_ERROR.
      const frame: Frame =
        name !== 'application' && close.application
          ? {
              type: 'connection_close',
              application: false,
              errorCode: TransportError.APPLICATION_ERROR,
              frameType: 0,
              reasonPhrase: new Uint8Array(0),
            }
          : close;
      plans.push({ space: name, frames: [frame], ackEliciting: false, hasAck: false });
    }
    if (plans.length === 0) return undefined;
    return this._emit(now, plans);
  }

  /** Protects the planned packets into one datagram and records them for recovery. */
  protected _emit(
    now: number,
    plans: PlannedPacket[],
    probeSize?: number,
  ): { datagram: Uint8Array; to: SocketAddress } | undefined {
    const padInitial = plans.some(
      (p) => p.space === 'initial' && (this.role === 'client' || p.ackEliciting),
    );
    const packets: Uint8Array[] = [];
    let total = 0;
    const dcid = this.destinationCid;
    for (let i = 0; i < plans.length; i++) {
      const plan = plans[i]!;
      const s = this._spaces[plan.space];
      const protection = plan.space === 'application' ? this._appProtection()! : s.write!;
      const pn = s.nextPn++;
      const last = i === plans.length - 1;
      const oneRtt = plan.space === 'application' && this._writeKeys !== undefined;
      const header = oneRtt
        ? { type: '1rtt' as const, dcid, keyPhase: this._writeKeys!.keyPhase }
        : {
            type: LONG_TYPE[plan.space],
            version: QUIC_V1,
            dcid,
            scid: this.sourceCid,
            token: plan.space === 'initial' && this.role === 'client' ? this._token : undefined,
          };
      const built = buildPacket({
        header,
        packetNumber: pn,
        largestAcked: this._loss.largestAcked(plan.space),
        frames: plan.frames,
        protection,
        minSize:
          probeSize !== undefined
            ? probeSize
            : last && padInitial
              ? MIN_INITIAL_DATAGRAM_SIZE - total
              : undefined,
      });
      packets.push(built.packet);
      this.stats.packetsSent++;
      total += built.packet.length;
      const kept = plan.frames.filter((f) => f.type !== 'padding' && f.type !== 'ping');
      this._loss.onPacketSent(
        plan.space,
        {
          packetNumber: pn,
          timeSent: now,
          ackEliciting: built.ackEliciting,
          inFlight: built.inFlight,
          sentBytes: built.packet.length,
          frames: kept,
          pmtuProbe: probeSize !== undefined,
        },
        now,
      );
      if (plan.hasAck) s.received.onAckSent();
      if (built.ackEliciting) {
        this._idle.onAckElicitingSent(now);
        if (s.probes > 0) s.probes--;
      }
      if (this._options.trace || this._options.qlog) {
        this._tracePacket(
          'sent',
          header.type,
          dcid,
          oneRtt ? undefined : this.sourceCid,
          pn,
          built.packet.length,
          plan.frames,
          oneRtt ? this._writeKeys?.keyPhase : undefined,
        );
      }
      if (oneRtt) {
        this._oneRttSent++;
        const interval = this._options.keyUpdateInterval;
        if (interval !== undefined && this._oneRttSent % interval === 0) this.initiateKeyUpdate();
      }
    }
    let datagram: Uint8Array;
    if (packets.length === 1) datagram = packets[0]!;
    else {
      datagram = new Uint8Array(total);
      let at = 0;
      for (const p of packets) {
        datagram.set(p, at);
        at += p.length;
      }
    }
    if (!this._amplification.validated) {
      this._amplification.onDatagramSent(Math.min(datagram.length, this._amplification.allowance));
      this._loss.atAntiAmplificationLimit = this._amplification.atLimit;
    }
    this.bytesSent += datagram.length;
    this._pacer.onPacketSent(
      now,
      datagram.length,
      this._loss.congestion.congestionWindow,
      this._loss.rtt.smoothedRtt,
    );
    // RFC 9001 §4.9.1: a client discards Initial keys when it first sends a Handshake packet.
    if (this.role === 'client' && plans.some((p) => p.space === 'handshake')) {
      this._discardSpace('initial', now);
    }
    return { datagram, to: this._remote };
  }
}
