/**
 * The sans-I/O TLS 1.3 handshake engine (both roles). It implements the
 * HandshakeEngine half of @x/crypto's record-layer contract: the carrier hands
 * it handshake bytes per encryption level, and it answers through the
 * HandshakeRecordLayer (handshake bytes, keys per level and direction, alerts).
 * Nothing thrown inside escapes: every failure becomes the RFC 8446 alert,
 * sent once, and a TlsError kept in `error`.
 */
import type { EncryptionLevel, HandshakeEngine } from '@x/crypto';
import { AlertDescription, TlsError, tlsError, toTlsError } from './alerts.js';
import type { Context, State } from './context.js';
import { exportKeyingMaterial, nextTrafficSecret } from './key-schedule.js';
import { HandshakeJoiner } from './messages/handshake-type.js';
import { encodeKeyUpdate } from './messages/key-update.js';

const LEVELS: readonly EncryptionLevel[] = ['initial', 'early', 'handshake', 'application'];

export class TlsEngine implements HandshakeEngine {
  readonly cx: Context;
  #state: State;
  #error: TlsError | undefined;
  readonly #joiners = new Map<EncryptionLevel, HandshakeJoiner>(
    LEVELS.map((l) => [l, new HandshakeJoiner()]),
  );

  constructor(cx: Context, initial: State) {
    this.cx = cx;
    this.#state = initial;
  }

  get stateName(): string {
    return this.#error ? 'failed' : this.#state.name;
  }

  get error(): TlsError | undefined {
    return this.#error;
  }

  get handshakeComplete(): boolean {
    return this.cx.handshakeComplete;
  }

  /** Runs `step` and turns any throw into an alert and a stored error. */
  guard(step: () => void): void {
    if (this.#error) return;
    try {
      step();
    } catch (e) {
      this.fail(toTlsError(e));
    }
  }

  /** Ends the connection with `error`, sending its alert unless the peer sent it. */
  fail(error: TlsError): void {
    if (this.#error) return;
    this.#error = error;
    if (!error.fromPeer) {
      try {
        this.cx.recordLayer.sendAlert(this.cx.writeLevel, error.alert);
      } catch {
        // The carrier could not send it; the error is still reported.
      }
    }
  }

  /** The peer sent a fatal alert (TCP) or closed with a CRYPTO_ERROR (QUIC). */
  peerAlert(description: number): void {
    this.fail(new TlsError(description, 'received from the peer', { fromPeer: true }));
  }

  receiveHandshake(level: EncryptionLevel, data: Uint8Array, now: number): void {
    this.guard(() => {
      if (level !== this.cx.readLevel) {
        throw tlsError(
          'unexpected_message',
          `handshake data at level ${level}, expected ${this.cx.readLevel}`,
        );
      }
      const joiner = this.#joiners.get(level)!;
      joiner.push(data);
      for (;;) {
        const msg = joiner.next();
        if (msg === undefined) break;
        const before = this.cx.readEpoch;
        this.#state = this.#state.handle(this.cx, msg, now);
        if (this.cx.readEpoch !== before) {
          // RFC 8446 §5.1: handshake messages MUST NOT span a key change.
          if (joiner.pending > 0)
            throw tlsError(
              'unexpected_message',
              'handshake data after a key change in the same flight',
            );
          break;
        }
      }
    });
  }

  /** For drivers that start a state machine (the client's ClientHello). */
  advance(next: (cx: Context) => State): void {
    this.guard(() => {
      this.#state = next(this.cx);
    });
  }

  /**
   * RFC 8446 §4.6.3 KeyUpdate (TCP only; QUIC has its own key update): send
   * one, switch our sending keys, and with `requestPeer` ask the peer to update too.
   */
  keyUpdate(requestPeer: boolean): void {
    this.guard(() => {
      const cx = this.cx;
      if (cx.quic)
        throw tlsError('internal_error', 'QUIC does not use the KeyUpdate message (RFC 9001 §6)');
      if (!cx.handshakeComplete)
        throw tlsError('internal_error', 'KeyUpdate before the handshake completed');
      cx.send('application', encodeKeyUpdate(requestPeer), false);
      updateWriteKeys(cx);
    });
  }

  /** RFC 8446 §7.5 exporter; available once the handshake completed. */
  exportKeyingMaterial(label: string, context: Uint8Array, length: number): Uint8Array {
    const cx = this.cx;
    if (cx.exporterMasterSecret === undefined)
      throw new TlsError(
        AlertDescription.internal_error,
        'exporter before the handshake completed',
      );
    return exportKeyingMaterial(
      cx.provider,
      cx.suite.hash,
      cx.exporterMasterSecret,
      label,
      context,
      length,
    );
  }
}

/** Moves our sending direction to application_traffic_secret_N+1 (§7.2). */
export function updateWriteKeys(cx: Context): void {
  const client = cx.role === 'client';
  const current = client ? cx.clientAppSecret : cx.serverAppSecret;
  if (current === undefined) throw tlsError('internal_error', 'no application secret');
  const next = nextTrafficSecret(cx.provider, cx.suite.hash, current);
  if (client) cx.clientAppSecret = next;
  else cx.serverAppSecret = next;
  const n = client ? ++cx.generation.client : ++cx.generation.server;
  cx.log(client ? `CLIENT_TRAFFIC_SECRET_${n}` : `SERVER_TRAFFIC_SECRET_${n}`, next);
  cx.install('application', 'write', next);
}

export function updateReadKeys(cx: Context): void {
  const client = cx.role === 'client';
  const current = client ? cx.serverAppSecret : cx.clientAppSecret;
  if (current === undefined) throw tlsError('internal_error', 'no application secret');
  const next = nextTrafficSecret(cx.provider, cx.suite.hash, current);
  if (client) cx.serverAppSecret = next;
  else cx.clientAppSecret = next;
  const n = client ? ++cx.generation.server : ++cx.generation.client;
  cx.log(client ? `SERVER_TRAFFIC_SECRET_${n}` : `CLIENT_TRAFFIC_SECRET_${n}`, next);
  cx.install('application', 'read', next);
}
