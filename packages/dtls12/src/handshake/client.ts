import { AlertDescription, DtlsError } from '../errors.js';
import type { HandshakeContext } from './context.js';
import { clientHelloFlight } from './flights/client-flight1.js';
import { handleHelloVerifyRequest } from './flights/client-flight3.js';
import {
  clientFlight5,
  handleCertificateRequest,
  handleServerCertificate,
  handleServerFinished,
  handleServerHello,
  handleServerKeyExchange,
} from './flights/client-flight5.js';
import type { HandshakeMessage } from './fragment-buffer.js';
import { HandshakeType as T } from './messages/handshake-header.js';
import { decodeNewSessionTicket } from './messages/new-session-ticket.js';
import type { HandshakeRole, HandshakeStep } from './step.js';

type State =
  | 'server_hello'
  | 'certificate'
  | 'server_key_exchange'
  | 'hello_done'
  | 'finished'
  | 'done';

/** The client side as a small state machine over flights 1, 3 and 5 (Pion's flight handlers, rustls' Expect* states). */
export class ClientHandshake implements HandshakeRole {
  readonly #ctx: HandshakeContext;
  #state: State = 'server_hello';
  /** The hello last sent: it enters the transcript only if the server answers it with ServerHello. */
  #hello: { seq: number; body: Uint8Array } | undefined;

  constructor(ctx: HandshakeContext) {
    this.#ctx = ctx;
    ctx.clientRandom = ctx.provider.randomBytes(32);
  }

  start(): HandshakeStep {
    return { send: this.#sendHello() };
  }

  #sendHello() {
    const { flight, encoded } = clientHelloFlight(this.#ctx);
    const m = flight[0]!;
    this.#hello = { seq: m.kind === 'handshake' ? m.messageSeq : 0, body: encoded };
    return flight;
  }

  handle(m: HandshakeMessage): HandshakeStep {
    const ctx = this.#ctx;
    const unexpected = (): never => {
      throw new DtlsError(
        AlertDescription.unexpected_message,
        `unexpected handshake message ${m.msgType} in state ${this.#state}`,
      );
    };
    if (m.msgType === T.hello_request) return {}; // RFC 5246 §7.4.1.1: may be ignored; we never renegotiate.
    switch (this.#state) {
      case 'server_hello':
        if (m.msgType === T.hello_verify_request) {
          handleHelloVerifyRequest(ctx, m.body);
          return { send: this.#sendHello() };
        }
        if (m.msgType !== T.server_hello) unexpected();
        ctx.recordReceived(T.client_hello, this.#hello!.seq, this.#hello!.body);
        ctx.recordReceived(m.msgType, m.messageSeq, m.body);
        handleServerHello(ctx, m.body);
        this.#state = 'certificate';
        return {};
      case 'certificate':
        if (m.msgType !== T.certificate) unexpected();
        ctx.recordReceived(m.msgType, m.messageSeq, m.body);
        handleServerCertificate(ctx, m.body);
        this.#state = 'server_key_exchange';
        return {};
      case 'server_key_exchange':
        if (m.msgType !== T.server_key_exchange) unexpected();
        ctx.recordReceived(m.msgType, m.messageSeq, m.body);
        handleServerKeyExchange(ctx, m.body);
        this.#state = 'hello_done';
        return {};
      case 'hello_done':
        ctx.recordReceived(m.msgType, m.messageSeq, m.body);
        if (m.msgType === T.certificate_request && ctx.certificateRequestSchemes === undefined) {
          handleCertificateRequest(ctx, m.body);
          return {};
        }
        if (m.msgType !== T.server_hello_done) unexpected();
        this.#state = 'finished';
        return { send: clientFlight5(ctx, m.body), installKeys: true };
      case 'finished':
        if (m.msgType === T.new_session_ticket) {
          // RFC 5077 §3.3: parsed, and part of the transcript the server Finished covers; otherwise ignored.
          decodeNewSessionTicket(m.body);
          ctx.recordReceived(m.msgType, m.messageSeq, m.body);
          return {};
        }
        if (m.msgType !== T.finished) unexpected();
        handleServerFinished(ctx, m.body);
        this.#state = 'done';
        return { complete: true };
      default:
        return unexpected();
    }
  }
}
