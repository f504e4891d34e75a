/**
 * A plain STUN Binding server (RFC 8489 §6.3, §12): answers each Binding
 * request with the source transport address in XOR-MAPPED-ADDRESS, a 400 to a
 * request whose attributes are malformed, a 420 with UNKNOWN-ATTRIBUTES to one
 * with comprehension-required attributes it does not know, and stays silent for
 * everything else (indications, responses, other methods, non-STUN bytes).
 *
 * The Binding method is idempotent, so retransmitted requests are simply
 * answered again (§6.3.1): the server keeps no per-client state.
 */
import {
  type DatagramEndpoint,
  DecodeError,
  type IncomingDatagram,
  type OutgoingDatagram,
  type SocketAddress,
} from '@x/wire';
import { ErrorCode } from '../errors.js';
import { encodeXorAddress } from '../message/attributes/address.js';
import { encodeText } from '../message/attributes/strings.js';
import { AttributeType } from '../message/attributes/types.js';
import { checkFingerprint } from '../message/fingerprint.js';
import { decodeHeader, METHOD_BINDING } from '../message/header.js';
import { unknownComprehensionRequired } from '../message/lookup.js';
import {
  type DecodedStunMessage,
  decodeMessage,
  type EncodeOptions,
  type StunAttribute,
} from '../message/message.js';
import type { LongTermAuthenticator } from './long-term-auth.js';
import { errorResponse, successResponse } from './respond.js';

export interface BindingServerOptions {
  /** SOFTWARE attribute for every response (RFC 8489 §6.3.1.1: SHOULD be added). */
  readonly software?: string;
  /** FINGERPRINT on every response (default true). */
  readonly fingerprint?: boolean;
  /** Responses waiting for poll() beyond this many are dropped (default 1024). */
  readonly maxQueue?: number;
  /** Require long-term credentials (RFC 8489 §9.2.4) before answering. */
  readonly longTerm?: LongTermAuthenticator;
}

export class BindingServer implements DatagramEndpoint {
  readonly #software: Uint8Array | undefined;
  readonly #fingerprint: boolean;
  readonly #maxQueue: number;
  readonly #longTerm: LongTermAuthenticator | undefined;
  readonly #queue: OutgoingDatagram[] = [];
  /** Counters for observability: answered, errors sent, dropped. */
  readonly stats = { success: 0, error: 0, ignored: 0 };

  constructor(options: BindingServerOptions = {}) {
    this.#software =
      options.software === undefined ? undefined : encodeText(options.software, 'SOFTWARE');
    this.#fingerprint = options.fingerprint ?? true;
    this.#maxQueue = options.maxQueue ?? 1024;
    this.#longTerm = options.longTerm;
  }

  /**
   * The response to one datagram from `remote`, or undefined when none is due.
   * Never throws on any input. `now` only matters for long-term nonces.
   */
  respond(data: Uint8Array, remote: SocketAddress, now = 0): Uint8Array | undefined {
    let message: DecodedStunMessage;
    let options: EncodeOptions = { fingerprint: this.#fingerprint };
    try {
      message = decodeMessage(data);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      // A sound header with broken attribute framing is a malformed request: 400.
      // Anything without a sound header may not be STUN at all: silence.
      try {
        const header = decodeHeader(data);
        if (header.class === 'request' && header.method === METHOD_BINDING) {
          return this.#error(header, ErrorCode.BAD_REQUEST, options);
        }
      } catch {}
      return this.#ignore();
    }
    if (message.class !== 'request' || message.method !== METHOD_BINDING) return this.#ignore();
    // §6.3 / §7: a wrong FINGERPRINT means "not STUN after all"; discard silently.
    if (checkFingerprint(message) === 'bad') return this.#ignore();
    if (this.#longTerm) {
      const auth = this.#longTerm.authenticate(message, remote, now);
      if (!auth.ok) return this.#error(message, auth.code, options, undefined, auth.attributes);
      // §9.2.4: every later response carries the integrity attribute the request negotiated.
      options = {
        ...options,
        integrity: {
          key: auth.key,
          provider: this.#longTerm.provider,
          algorithms: [auth.algorithm],
        },
      };
    }
    const unknown = unknownComprehensionRequired(message);
    if (unknown.length > 0)
      return this.#error(message, ErrorCode.UNKNOWN_ATTRIBUTE, options, unknown);
    const attributes: StunAttribute[] = [];
    if (this.#software) attributes.push({ type: AttributeType.SOFTWARE, value: this.#software });
    attributes.push({
      type: AttributeType.XOR_MAPPED_ADDRESS,
      value: encodeXorAddress(remote, message.transactionId),
    });
    this.stats.success++;
    return successResponse(message, attributes, options);
  }

  receive(datagram: IncomingDatagram, now: number): void {
    const response = this.respond(datagram.data, datagram.remote, now);
    if (response && this.#queue.length < this.#maxQueue) {
      this.#queue.push({ data: response, remote: datagram.remote });
    }
  }

  poll(_now: number): OutgoingDatagram | undefined {
    return this.#queue.shift();
  }

  nextDeadline(): number | undefined {
    return undefined;
  }

  handleTimeout(_now: number): void {}

  #error(
    request: { method: number; transactionId: Uint8Array },
    code: number,
    options: EncodeOptions,
    unknown?: number[],
    extra?: StunAttribute[],
  ): Uint8Array {
    this.stats.error++;
    return errorResponse(request, code, options, { unknown, software: this.#software, extra });
  }

  #ignore(): undefined {
    this.stats.ignored++;
    return undefined;
  }
}
