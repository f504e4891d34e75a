/** RFC 9000 §19.20: sent by the server once the handshake is confirmed. */
export interface HandshakeDoneFrame {
  readonly type: 'handshake_done';
}

export const HANDSHAKE_DONE: HandshakeDoneFrame = Object.freeze({ type: 'handshake_done' });
