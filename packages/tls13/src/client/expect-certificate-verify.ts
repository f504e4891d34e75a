/** RFC 8446 §4.4.3: the server proves it holds the certificate's key. */
import { checkCertificateVerify } from '../auth.js';
import type { Context, State } from '../context.js';
import type { HandshakeMessage } from '../messages/handshake-type.js';
import { ExpectFinished } from './expect-finished.js';
import type { ClientData } from './handshake-data.js';

export class ExpectCertificateVerify implements State {
  readonly name = 'ExpectCertificateVerify';
  readonly #data: ClientData;

  constructor(data: ClientData) {
    this.#data = data;
  }

  handle(cx: Context, msg: HandshakeMessage): State {
    checkCertificateVerify(cx, msg, true);
    return new ExpectFinished(this.#data);
  }
}
