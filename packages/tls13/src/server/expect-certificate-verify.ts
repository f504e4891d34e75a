/** RFC 8446 §4.4.3: the client proves it holds its certificate's key. */
import { checkCertificateVerify } from '../auth.js';
import type { Context, State } from '../context.js';
import type { HandshakeMessage } from '../messages/handshake-type.js';
import { ExpectFinished } from './expect-finished.js';
import type { ServerData } from './handshake-data.js';

export class ExpectCertificateVerify implements State {
  readonly name = 'ExpectCertificateVerify';
  readonly #data: ServerData;

  constructor(data: ServerData) {
    this.#data = data;
  }

  handle(cx: Context, msg: HandshakeMessage): State {
    checkCertificateVerify(cx, msg, false);
    return new ExpectFinished(this.#data);
  }
}
