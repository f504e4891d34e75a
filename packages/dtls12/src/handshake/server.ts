import { AlertDescription, DtlsError } from '../errors.js';
import type { HandshakeContext } from './context.js';
import { serverFlight4 } from './flights/server-flight4.js';
import {
  handleCertificateVerify,
  handleClientCertificate,
  handleClientKeyExchange,
  serverFlight6,
} from './flights/server-flight6.js';
import type { HandshakeMessage } from './fragment-buffer.js';
import { decodeClientHello } from './messages/client-hello.js';
import { HandshakeType as T } from './messages/handshake-header.js';
import type { HandshakeRole, HandshakeStep } from './step.js';

type State =
  | 'client_hello'
  | 'certificate'
  | 'client_key_exchange'
  | 'certificate_verify'
  | 'finished'
  | 'done';

/**
 * The server side after the cookie exchange (flight 0/2 run statelessly in
 * DtlsServer): flight 4 from the ClientHello, flight 6 from flight 5.
 */
export class ServerHandshake implements HandshakeRole {
  readonly #ctx: HandshakeContext;
  #state: State = 'client_hello';

  constructor(ctx: HandshakeContext) {
    this.#ctx = ctx;
  }

  start(): HandshakeStep {
    return {};
  }

  handle(m: HandshakeMessage): HandshakeStep {
    const ctx = this.#ctx;
    const unexpected = (): never => {
      throw new DtlsError(
        AlertDescription.unexpected_message,
        `unexpected handshake message ${m.msgType} in state ${this.#state}`,
      );
    };
    switch (this.#state) {
      case 'client_hello': {
        if (m.msgType !== T.client_hello) unexpected();
        const hello = decodeClientHello(m.body);
        ctx.nextSendSeq = m.messageSeq; // RFC 6347 §4.2.2 example: ServerHello takes the hello's seq.
        ctx.recordReceived(m.msgType, m.messageSeq, m.body);
        const flight = serverFlight4(ctx, hello);
        this.#state =
          ctx.certificateRequestSchemes !== undefined ? 'certificate' : 'client_key_exchange';
        return { send: flight };
      }
      case 'certificate':
        if (m.msgType !== T.certificate) unexpected();
        ctx.recordReceived(m.msgType, m.messageSeq, m.body);
        handleClientCertificate(ctx, m.body);
        this.#state = 'client_key_exchange';
        return {};
      case 'client_key_exchange':
        if (m.msgType !== T.client_key_exchange) unexpected();
        ctx.recordReceived(m.msgType, m.messageSeq, m.body);
        handleClientKeyExchange(ctx, m.body);
        this.#state = ctx.peerLeaf !== undefined ? 'certificate_verify' : 'finished';
        return { installKeys: true };
      case 'certificate_verify':
        if (m.msgType !== T.certificate_verify) unexpected();
        handleCertificateVerify(ctx, m.body);
        ctx.recordReceived(m.msgType, m.messageSeq, m.body);
        this.#state = 'finished';
        return {};
      case 'finished': {
        if (m.msgType !== T.finished) unexpected();
        const flight = serverFlight6(ctx, m.body, m.messageSeq);
        this.#state = 'done';
        return { send: flight, complete: true, final: true };
      }
      default:
        return unexpected();
    }
  }
}
