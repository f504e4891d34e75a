import type { FlightMessage } from './context.js';
import type { HandshakeMessage } from './fragment-buffer.js';

/** What a handshake role asks its connection to do after a message. */
export interface HandshakeStep {
  /** A new flight to send (and retransmit until the peer's next flight arrives). */
  readonly send?: FlightMessage[];
  /** ctx.masterSecret is ready: install epoch 1 keys. */
  readonly installKeys?: boolean;
  /** The handshake is complete. */
  readonly complete?: boolean;
  /** Our flight is the last one (server flight 6): no retransmission timer, only on peer repeats. */
  readonly final?: boolean;
}

export interface HandshakeRole {
  /** The first flight (client) or nothing (server). */
  start(): HandshakeStep;
  handle(message: HandshakeMessage): HandshakeStep;
}
