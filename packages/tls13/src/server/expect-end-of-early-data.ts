/** RFC 8446 §4.5: over TCP, 0-RTT ends with EndOfEarlyData under the early keys. */
import { tlsError } from '../alerts.js';
import type { Context, State } from '../context.js';
import { decodeEndOfEarlyData } from '../messages/end-of-early-data.js';
import { type HandshakeMessage, HandshakeType } from '../messages/handshake-type.js';
import type { ServerData } from './handshake-data.js';
import { afterEarlyData } from './next.js';

export class ExpectEndOfEarlyData implements State {
  readonly name = 'ExpectEndOfEarlyData';
  readonly #data: ServerData;

  constructor(data: ServerData) {
    this.#data = data;
  }

  handle(cx: Context, msg: HandshakeMessage): State {
    if (msg.type !== HandshakeType.end_of_early_data) {
      throw tlsError(
        'unexpected_message',
        `expected EndOfEarlyData, got handshake type ${msg.type}`,
      );
    }
    decodeEndOfEarlyData(msg.body);
    cx.transcript.add(msg.raw);
    cx.install('handshake', 'read', this.#data.clientHsSecret!);
    return afterEarlyData(this.#data);
  }
}
