import { DecodeError, equalBytes, toHex } from '@x/wire';
import { QuicError, TransportError } from '../errors.js';
import { type AckFrame, ackDelayMillis } from '../frame/ack.js';
import { type Frame, isAckEliciting } from '../frame/codec.js';
import { decodePacketPayload } from '../frame/permitted.js';
import { initialProtection } from '../handshake/initial-keys.js';
import { type PacketHeader, parsePacketHeader, QUIC_V1 } from '../packet/header.js';
import { verifyRetryIntegrity } from '../packet/retry.js';
import { supportedVersions } from '../packet/version-negotiation.js';
import type { PacketNumberSpace, TimeoutAction } from '../recovery/loss-detection.js';
import type { SentPacket } from '../recovery/sent-packets.js';
import { PeerCids } from './cid-manager.js';
import { ConnectionCore, fromUtf8, LOCAL_CID_LENGTH } from './core.js';
import type { PathInfo, SentFrames } from './state.js';

/** @internal Receiving: datagrams in, packets opened, frames dispatched; timers and loss. */
export abstract class ConnectionReceiver extends ConnectionCore {
  // ---- timers ------------------------------------------------------------------

  /** When `onTimeout` must be called, or undefined. */
  timeout(): number | undefined {
    if (this._closed) return undefined;
    if (this._closeState !== undefined) return this._closeState.deadline;
    let t = this._idle.deadline(this._idleTimeout);
    const min = (x: number | undefined) => {
      if (x !== undefined && (t === undefined || x < t)) t = x;
    };
    min(this._loss.lossDetectionTimer);
    const ack = this._spaces.application.received.ackDeadline;
    if (ack !== undefined && ack > 0) min(ack);
    min(this._pacingUntil);
    if (this._prevRead !== undefined) min(this._prevReadUntil);
    return t;
  }

  onTimeout(now: number): void {
    this._now = now;
    if (this._closed) return;
    if (this._closeState !== undefined) {
      if (this._closeState.expired(now)) this._closed = true;
      return;
    }
    const idle = this._idle.deadline(this._idleTimeout);
    if (idle !== undefined && now >= idle) {
      // RFC 9000 §10.1: silently closed, no CONNECTION_CLOSE.
      this._terminate(
        { by: 'idle-timeout', errorCode: 0, application: false, reason: 'idle timeout' },
        false,
        now,
      );
      return;
    }
    if (this._pacingUntil !== undefined && now >= this._pacingUntil) this._pacingUntil = undefined;
    if (this._prevRead !== undefined && now >= this._prevReadUntil) this._prevRead = undefined;
    const timer = this._loss.lossDetectionTimer;
    if (timer !== undefined && now >= timer) {
      const action = this._loss.onTimeout(now);
      if (action) this._onLossAction(action);
    }
  }

  protected _onLossAction(a: TimeoutAction<SentFrames>): void {
    if (a.kind === 'loss') {
      for (const p of a.lost) this._onPacketLost(a.space, p);
      this.stats.packetsLost += a.lost.length;
      return;
    }
    const s = this._spaces[a.space];
    this.stats.ptoCount++;
    s.probes = a.kind === 'pto' ? a.probes : 1;
    if (a.space !== 'application') {
      // Probes carry the unacknowledged CRYPTO data again (RFC 9002 §6.2.4).
      for (const p of this._loss.sentPackets(a.space)) {
        for (const f of p.frames ?? []) if (f.type === 'crypto') s.crypto.onFrameLost(f);
      }
    }
  }

  // ---- receiving -----------------------------------------------------------------

  /** One UDP datagram from the peer. Never throws on bad input. */
  recv(datagram: Uint8Array, path: PathInfo, now: number): void {
    this._now = now;
    if (this._closed) return;
    this.bytesReceived += datagram.length;
    if (this._closeState !== undefined) {
      if (this._closeState.onPacketReceived()) this._closeResend = true;
      return;
    }
    if (!this._amplification.validated) this._amplification.onDatagramReceived(datagram.length);
    let offset = 0;
    let authenticated = false;
    let firstDcid: Uint8Array | undefined;
    while (offset < datagram.length && this._closeReason === undefined) {
      let h: PacketHeader;
      try {
        h = parsePacketHeader(datagram, offset, LOCAL_CID_LENGTH);
      } catch (e) {
        if (e instanceof DecodeError) break;
        throw e;
      }
      // RFC 9000 §12.2: packets coalesced after the first must carry its Destination Connection ID.
      if (firstDcid === undefined) firstDcid = h.dcid;
      else if (!equalBytes(h.dcid, firstDcid)) break;
      offset = h.end;
      try {
        if (this._recvPacket(datagram, h, path, now)) authenticated = true;
      } catch (e) {
        if (e instanceof QuicError) this._fail(e);
        else if (e instanceof DecodeError)
          this._fail(new QuicError(TransportError.FRAME_ENCODING_ERROR, e.message));
        else throw e;
        break;
      }
    }
    if (!authenticated) {
      // RFC 9000 §10.3.1: a datagram that does not authenticate may be a stateless reset.
      if ((datagram[0]! & 0x80) === 0 && this._peerCids?.isStatelessReset(datagram)) {
        this._terminate(
          { by: 'stateless-reset', errorCode: 0, application: false, reason: 'stateless reset' },
          true,
          now,
        );
      }
    } else {
      const action = this._loss.onDatagramReceived(now);
      if (action) this._onLossAction(action);
    }
    this._streams.flushReadable();
  }

  /**
   * RFC 9000 §10.3.1: a datagram the endpoint could not route may be a stateless
   * reset for this connection (it then drains). True if it was.
   */
  handleStatelessReset(datagram: Uint8Array, now: number): boolean {
    if (this._closeReason !== undefined || (datagram[0]! & 0x80) !== 0) return false;
    if (!this._peerCids?.isStatelessReset(datagram)) return false;
    this._terminate(
      { by: 'stateless-reset', errorCode: 0, application: false, reason: 'stateless reset' },
      true,
      now,
    );
    return true;
  }

  protected _recvPacket(
    datagram: Uint8Array,
    h: PacketHeader,
    path: PathInfo,
    now: number,
  ): boolean {
    switch (h.type) {
      case 'version-negotiation':
        this._onVersionNegotiation(datagram, h, now);
        return false;
      case 'unsupported-version':
        return false;
      case '0rtt':
        // Only a server that accepted 0-RTT has these keys (RFC 9000 §17.2.3).
        if (this._zeroRttRead === undefined) return false;
        break;
      case 'retry':
        return this._onRetry(datagram, h, now);
      default:
        break;
    }
    const spaceName: PacketNumberSpace =
      h.type === 'initial' ? 'initial' : h.type === 'handshake' ? 'handshake' : 'application';
    const s = this._spaces[spaceName];
    const read =
      h.type === '0rtt'
        ? this._zeroRttRead
        : spaceName === 'application'
          ? this._readKeys?.current
          : s.read;
    if (read === undefined || s.discarded) return false;
    const packet = datagram.subarray(h.start, h.end);
    const unmasked = read.removeHeaderProtection(packet, h.pnOffset - h.start, s.largestReceived);
    if (unmasked === null) return false;
    let opened = null;
    let newPhase = false;
    const rk = this._readKeys;
    if (h.type === '1rtt' && rk !== undefined && unmasked.keyPhase !== rk.keyPhase) {
      if (this._prevRead !== undefined && unmasked.packetNumber < this._readPhaseStartPn) {
        opened = this._prevRead.openPayload(packet, unmasked);
      } else if (this._handshakeConfirmed || this.role === 'server') {
        opened = rk.next.openPayload(packet, unmasked);
        newPhase = opened !== null;
      }
    } else {
      opened = read.openPayload(packet, unmasked);
    }
    if (opened === null) return false;
    const pn = opened.packetNumber;
    if (newPhase) this._onPeerKeyUpdate(pn, now);
    // RFC 9001 §4.9.3: a server may keep 0-RTT keys briefly after the first 1-RTT
    // packet. We drop them at once: a 0-RTT packet arriving later is declared
    // lost by the client and its data goes again in 1-RTT.
    if (h.type === '1rtt') this._zeroRttRead = undefined;
    if (this.role === 'client' && !this._receivedFromPeer && h.long) {
      // RFC 9000 §7.2: use the server's Source Connection ID from now on.
      this._dcid = h.scid.slice();
      this._peerCids = new PeerCids(this._dcid, this._localParams.activeConnectionIdLimit);
    }
    this._receivedFromPeer = true;
    if (s.received.isDuplicate(pn)) return true;
    let ackEliciting = false;
    const traced: Frame[] | undefined = this._options.trace || this._options.qlog ? [] : undefined;
    decodePacketPayload(opened.payload, h.type, this.role, (f, ft) => {
      traced?.push(f);
      if (!ackEliciting && isAckEliciting(f)) ackEliciting = true;
      this._onFrame(spaceName, f, ft, h, path, now);
    });
    if (pn > s.largestReceived) s.largestReceived = pn;
    if (!s.discarded) s.received.onPacketReceived(pn, ackEliciting, now);
    this._idle.onPacketReceived(now);
    this.stats.packetsReceived++;
    if (traced)
      this._tracePacket(
        'recv',
        h.type,
        h.dcid,
        h.long ? h.scid : undefined,
        pn,
        h.end - h.start,
        traced,
        // The bit the packet carried: a key update shows on the first packet of the new phase.
        h.type === '1rtt' ? unmasked.keyPhase : undefined,
      );
    if (spaceName === 'handshake' && this.role === 'server') {
      // RFC 9000 §8.1: a Handshake packet proves the client got our Initial.
      this._amplification.validate();
      // RFC 9001 §4.9.1: a server discards Initial keys on the first Handshake packet it processes.
      this._discardSpace('initial', now);
    }
    return true;
  }

  protected _onVersionNegotiation(datagram: Uint8Array, h: PacketHeader, now: number): void {
    // RFC 9000 §6.2: only before any valid packet, only if it echoes our IDs.
    if (this.role !== 'client' || this._receivedFromPeer) return;
    if (!equalBytes(h.dcid, this.sourceCid) || !equalBytes(h.scid, this._originalDcid)) return;
    const versions = supportedVersions(datagram, h);
    if (versions.includes(QUIC_V1)) return;
    this._terminate(
      {
        by: 'version-negotiation',
        errorCode: 0,
        application: false,
        reason: `server supports only ${versions.map((v) => `0x${v.toString(16)}`).join(', ')}`,
      },
      false,
      now,
    );
  }

  protected _onRetry(datagram: Uint8Array, h: PacketHeader, now: number): boolean {
    // RFC 9000 §17.2.5.2: one Retry, before any other server packet, with a valid tag.
    if (this.role !== 'client' || this._receivedFromPeer || this._retrySourceCid !== undefined) {
      return false;
    }
    if (equalBytes(h.scid, this._dcid)) return false;
    const packet = datagram.subarray(h.start, h.end);
    if (!verifyRetryIntegrity(this.provider, packet, this._originalDcid)) return false;
    this._retrySourceCid = h.scid.slice();
    this._dcid = h.scid.slice();
    this._token = h.token.slice();
    const keys = initialProtection(this.provider, this._dcid);
    const s = this._spaces.initial;
    s.read = keys.server;
    s.write = keys.client;
    // Send the ClientHello again (RFC 9001 §5.8 / RFC 9000 §17.2.5.2), in new packets;
    // 0-RTT sent before the Retry is likely discarded too (RFC 9000 §17.2.3): again
    // after the new Initial (new packet numbers, same keys).
    this._requeueSpace('initial', now);
    this._requeueSpace('application', now);
    this._options.trace?.(
      `recv retry dcid=${toHex(h.dcid)} scid=${toHex(h.scid)} token=${toHex(h.token)} (integrity tag ok)`,
    );
    // qlog quic-events §5.3.2: a Retry has no packet number; its token goes in the header.
    this._options.qlog?.({
      time: now,
      name: 'transport:packet_received',
      data: {
        header: {
          packet_type: 'retry',
          dcid: toHex(h.dcid),
          scid: toHex(h.scid),
          token: { type: 'retry', raw: { length: h.token.length, data: toHex(h.token) } },
        },
        raw: { length: h.end - h.start },
      },
    });
    return true;
  }

  protected _onFrame(
    space: PacketNumberSpace,
    f: Frame,
    frameType: number,
    h: PacketHeader,
    _path: PathInfo,
    now: number,
  ): void {
    const s = this._spaces[space];
    switch (f.type) {
      case 'padding':
      case 'ping':
      case 'data_blocked':
      case 'stream_data_blocked':
      case 'streams_blocked':
      case 'path_response':
        return;
      case 'ack':
        this._onAck(space, f, now);
        return;
      case 'crypto': {
        const data = s.crypto.onCryptoFrame(f);
        if (data !== undefined) {
          this._tls?.receive(space, data, now + (this._options.tlsClockOffset ?? 0));
          this._drainTls(now);
        }
        return;
      }
      case 'stream':
        this._streams.onStream(f, frameType);
        return;
      case 'reset_stream':
        this._streams.onResetStream(f, frameType);
        return;
      case 'stop_sending':
        this._streams.onStopSending(f, frameType);
        return;
      case 'max_data':
        this._streams.onMaxData(f.maximumData);
        return;
      case 'max_stream_data':
        this._streams.onMaxStreamData(f.streamId, f.maximumStreamData, frameType);
        return;
      case 'max_streams':
        this._streams.onMaxStreams(f.bidirectional, f.maximumStreams);
        return;
      case 'new_connection_id': {
        const peer = this._peerCids;
        if (peer === undefined) return;
        if (this._dcid.length === 0) {
          throw new QuicError(
            TransportError.PROTOCOL_VIOLATION,
            'NEW_CONNECTION_ID with a zero-length connection ID in use',
            frameType,
          );
        }
        peer.onNewConnectionId(f);
        for (const seq of peer.takeRetirements()) {
          this._control.push({ type: 'retire_connection_id', sequenceNumber: seq });
        }
        return;
      }
      case 'retire_connection_id': {
        const retired = this._localCids.retire(f.sequenceNumber, h.dcid);
        if (retired !== undefined) this.onCidRetired?.(retired.connectionId);
        this._issueCids();
        return;
      }
      case 'path_challenge':
        this._control.push({ type: 'path_response', data: f.data.slice() });
        return;
      case 'new_token':
        this._events.push({ kind: 'new-token', token: f.token.slice() });
        return;
      case 'connection_close':
        this._closeReason ??= {
          by: 'peer',
          errorCode: f.errorCode,
          application: f.application,
          reason: fromUtf8.decode(f.reasonPhrase),
        };
        this._terminate(this._closeReason, true, now);
        return;
      case 'handshake_done':
        if (this.role === 'client') this._confirmHandshake(now);
        return;
      case 'datagram':
        // RFC 9221 §3: we did not advertise max_datagram_frame_size.
        throw new QuicError(
          TransportError.PROTOCOL_VIOLATION,
          'DATAGRAM frame not negotiated',
          frameType,
        );
    }
  }

  protected _onAck(space: PacketNumberSpace, f: AckFrame, now: number): void {
    const exponent = this._peerParams?.ackDelayExponent ?? 3;
    const result = this._loss.onAckReceived(space, f, ackDelayMillis(f, exponent), now);
    for (const p of result.acked) {
      if (p.pmtuProbe === true) this._onPmtuProbeAcked(p.packetNumber);
      if (space === 'application' && p.packetNumber >= this._writePhaseStartPn) {
        this._writePhaseAcked = true;
      }
      for (const fr of p.frames ?? []) this._onFrameAcked(space, fr);
    }
    for (const p of result.lost) this._onPacketLost(space, p);
    this.stats.packetsLost += result.lost.length;
  }

  protected _onFrameAcked(space: PacketNumberSpace, f: Frame): void {
    switch (f.type) {
      case 'crypto':
        this._spaces[space].crypto.onFrameAcked(f);
        return;
      case 'stream':
      case 'reset_stream':
        this._streams.onAcked(f);
        return;
      case 'ack':
        this._spaces[space].received.onAckAcknowledged(f.ranges[0]!.largest);
        return;
      default:
        return;
    }
  }

  protected _onPmtuProbeAcked(packetNumber: number): void {
    const size = this._pmtu.onProbeAcked(packetNumber);
    if (size !== undefined && size > this._maxDatagramSize) this._setDatagramSize(size);
  }

  protected _onPacketLost(space: PacketNumberSpace, p: SentPacket<SentFrames>): void {
    if (p.pmtuProbe === true) this._pmtu.onProbeLost(p.packetNumber);
    const s = this._spaces[space];
    for (const f of p.frames ?? []) {
      switch (f.type) {
        case 'crypto':
          if (!s.discarded) s.crypto.onFrameLost(f);
          break;
        case 'stream':
        case 'max_data':
        case 'max_stream_data':
        case 'max_streams':
          this._streams.onLost(f);
          break;
        case 'handshake_done':
          this._handshakeDoneQueued = true;
          break;
        case 'reset_stream':
        case 'stop_sending':
        case 'new_connection_id':
        case 'retire_connection_id':
        case 'new_token':
          this._control.push(f);
          break;
        default:
          break;
      }
    }
  }
}
