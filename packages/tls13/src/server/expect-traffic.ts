/** After the handshake the server accepts only KeyUpdate (TCP); post-handshake auth is not offered. */
import { tlsError } from '../alerts.js';
import type { Context, State } from '../context.js';
import { handleKeyUpdate } from '../key-update.js';
import { type HandshakeMessage, HandshakeType } from '../messages/handshake-type.js';

export class ExpectTraffic implements State {
  readonly name = 'ExpectTraffic';

  handle(cx: Context, msg: HandshakeMessage): State {
    if (msg.type === HandshakeType.key_update && !cx.quic) {
      handleKeyUpdate(cx, msg);
      return this;
    }
    throw tlsError('unexpected_message', `unexpected post-handshake message type ${msg.type}`);
  }
}
