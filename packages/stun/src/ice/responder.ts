/**
 * The STUN side of an ICE-lite agent (RFC 8445 §2.5, §7.3, §7.3.2): it never
 * sends checks, it answers them. Each Binding request must carry USERNAME
 * "<our ufrag>:<their ufrag>" and a MESSAGE-INTEGRITY(-SHA256) keyed with our
 * ice-pwd (short-term credentials, RFC 8489 §9.1.3) and a FINGERPRINT
 * (RFC 8445 §7.3). Valid checks are answered with XOR-MAPPED-ADDRESS, the
 * matching integrity attribute and FINGERPRINT, and reported with the peer's
 * PRIORITY and USE-CANDIDATE nomination.
 *
 * A lite agent is always controlled (RFC 8445 §6.1.1). A request carrying
 * ICE-CONTROLLED is a role conflict; §7.3.1.1 would have a controlled agent with
 * the larger tiebreaker switch to controlling, which a lite agent cannot do, so
 * every such request is answered with 487 (Role Conflict) and the peer switches.
 */
import { type CryptoProvider, defaultProvider } from '@x/crypto';
import { constantTimeEqual, DecodeError, type SocketAddress } from '@x/wire';
import { shortTermKey } from '../credentials.js';
import { ErrorCode } from '../errors.js';
import { encodeXorAddress } from '../message/attributes/address.js';
import { decodePriority, decodeTiebreaker, decodeUseCandidate } from '../message/attributes/ice.js';
import { decodeText, encodeText } from '../message/attributes/strings.js';
import { AttributeType } from '../message/attributes/types.js';
import { checkFingerprint } from '../message/fingerprint.js';
import { decodeHeader, METHOD_BINDING } from '../message/header.js';
import { integrityAlgorithmOf, verifyIntegrity } from '../message/integrity.js';
import { findAttribute, unknownComprehensionRequired } from '../message/lookup.js';
import {
  type DecodedStunMessage,
  decodeMessage,
  type EncodeOptions,
  type StunAttribute,
} from '../message/message.js';
import { errorResponse, successResponse } from '../server/respond.js';

export interface IceLiteResponderOptions {
  /** Our ice-ufrag, as in our SDP. */
  readonly localUfrag: string;
  /** Our ice-pwd: the short-term password the peer's checks are keyed with. */
  readonly localPassword: string;
  /** The peer's ice-ufrag once its description is known; before that any is accepted (§7.3). */
  readonly remoteUfrag?: string;
  readonly provider?: CryptoProvider;
  readonly software?: string;
}

/** A connectivity check that passed authentication and was answered with success. */
export interface IceCheck {
  readonly remote: SocketAddress;
  /** The peer's PRIORITY (RFC 8445 §7.1.1), undefined if it sent none. */
  readonly priority: number | undefined;
  /** USE-CANDIDATE was present: the controlling agent nominates this pair (§7.3.2). */
  readonly nominated: boolean;
  /** The peer's ICE-CONTROLLING tiebreaker. */
  readonly tiebreaker: bigint | undefined;
  /** USERNAME's second half: the peer's ufrag. */
  readonly remoteUfrag: string;
}

export type IceCheckOutcome =
  /** A valid check: answer with `response`. */
  | { readonly kind: 'check'; readonly response: Uint8Array; readonly check: IceCheck }
  /** A request we reject with an error response (400, 401, 420 or 487). */
  | {
      readonly kind: 'error';
      readonly response: Uint8Array;
      readonly code: number;
      readonly reason: string;
    }
  /** Not something to answer: not STUN, a bad FINGERPRINT, an indication (keepalive) or a response. */
  | { readonly kind: 'ignored'; readonly reason: string };

export class IceLiteResponder {
  readonly #provider: CryptoProvider;
  readonly #key: Uint8Array;
  readonly #localUfrag: string;
  #remoteUfrag: string | undefined;
  readonly #software: Uint8Array | undefined;
  readonly #localPrefix: Uint8Array;

  constructor(options: IceLiteResponderOptions) {
    this.#provider = options.provider ?? defaultProvider;
    this.#key = shortTermKey(options.localPassword);
    this.#localUfrag = options.localUfrag;
    this.#remoteUfrag = options.remoteUfrag;
    this.#software =
      options.software === undefined ? undefined : encodeText(options.software, 'SOFTWARE');
    this.#localPrefix = new TextEncoder().encode(`${options.localUfrag}:`);
  }

  /** Learn the peer's ufrag (from its SDP); later checks must then carry it. */
  setRemoteUfrag(ufrag: string | undefined): void {
    this.#remoteUfrag = ufrag;
  }

  /** Processes one datagram from `remote` that the demultiplexer classified as STUN. Never throws. */
  handle(data: Uint8Array, remote: SocketAddress): IceCheckOutcome {
    let message: DecodedStunMessage;
    try {
      message = decodeMessage(data);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      try {
        const header = decodeHeader(data);
        if (header.class === 'request' && header.method === METHOD_BINDING) {
          return this.#error(header, ErrorCode.BAD_REQUEST, 'malformed attributes', {});
        }
      } catch {}
      return { kind: 'ignored', reason: `not a STUN message: ${(e as Error).message}` };
    }
    if (message.method !== METHOD_BINDING)
      return { kind: 'ignored', reason: 'not a Binding message' };
    if (message.class === 'indication')
      return { kind: 'ignored', reason: 'Binding indication (keepalive)' };
    if (message.class !== 'request')
      return { kind: 'ignored', reason: 'a response: a lite agent sends no checks' };
    // RFC 8445 §7.3: ICE uses the FINGERPRINT mechanism; RFC 8489 §7: it must be present and right.
    const fp = checkFingerprint(message);
    if (fp !== 'ok') return { kind: 'ignored', reason: `FINGERPRINT ${fp}` };

    // RFC 8489 §9.1.3, in order: 400 without USERNAME and integrity, 401 for a bad username or HMAC.
    const username = findAttribute(message, AttributeType.USERNAME);
    const algorithm = integrityAlgorithmOf(message);
    if (!username || !algorithm) {
      return this.#error(
        message,
        ErrorCode.BAD_REQUEST,
        'missing USERNAME or MESSAGE-INTEGRITY',
        {},
      );
    }
    const remoteUfrag = this.#checkUsername(username.value);
    if (remoteUfrag === undefined) {
      return this.#error(message, ErrorCode.UNAUTHENTICATED, 'unknown USERNAME', {});
    }
    if (!verifyIntegrity(message, this.#key, this.#provider, algorithm)) {
      return this.#error(
        message,
        ErrorCode.UNAUTHENTICATED,
        'MESSAGE-INTEGRITY does not verify',
        {},
      );
    }
    // Authenticated: from here on responses carry the integrity attribute the request used.
    const protect: EncodeOptions = {
      integrity: { key: this.#key, provider: this.#provider, algorithms: [algorithm] },
      fingerprint: true,
    };
    const unknown = unknownComprehensionRequired(message);
    if (unknown.length > 0) {
      return this.#error(
        message,
        ErrorCode.UNKNOWN_ATTRIBUTE,
        'unknown comprehension-required attributes',
        protect,
        unknown,
      );
    }
    let priority: number | undefined;
    let nominated = false;
    let tiebreaker: bigint | undefined;
    try {
      const p = findAttribute(message, AttributeType.PRIORITY);
      if (p) priority = decodePriority(p.value);
      const u = findAttribute(message, AttributeType.USE_CANDIDATE);
      if (u) nominated = decodeUseCandidate(u.value);
      const controlling = findAttribute(message, AttributeType.ICE_CONTROLLING);
      if (controlling) tiebreaker = decodeTiebreaker(controlling.value);
      const controlled = findAttribute(message, AttributeType.ICE_CONTROLLED);
      if (controlled) {
        decodeTiebreaker(controlled.value);
        return this.#error(
          message,
          ErrorCode.ROLE_CONFLICT,
          'the peer is controlled too (we are ICE-lite)',
          protect,
        );
      }
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return this.#error(message, ErrorCode.BAD_REQUEST, e.message, protect);
    }
    const attributes: StunAttribute[] = [];
    if (this.#software) attributes.push({ type: AttributeType.SOFTWARE, value: this.#software });
    attributes.push({
      type: AttributeType.XOR_MAPPED_ADDRESS,
      value: encodeXorAddress(remote, message.transactionId),
    });
    return {
      kind: 'check',
      response: successResponse(message, attributes, protect),
      check: { remote, priority, nominated, tiebreaker, remoteUfrag },
    };
  }

  /** The peer's ufrag if USERNAME is "<ours>:<theirs>" (and theirs is the one we know), else undefined. */
  #checkUsername(value: Uint8Array): string | undefined {
    const prefix = this.#localPrefix;
    if (value.length <= prefix.length) return undefined;
    if (!constantTimeEqual(value.subarray(0, prefix.length), prefix)) return undefined;
    let theirs: string;
    try {
      theirs = decodeText(value.subarray(prefix.length), 'USERNAME');
    } catch {
      return undefined;
    }
    if (this.#remoteUfrag !== undefined && theirs !== this.#remoteUfrag) return undefined;
    return theirs;
  }

  #error(
    request: { method: number; transactionId: Uint8Array },
    code: number,
    reason: string,
    options: EncodeOptions,
    unknown?: number[],
  ): IceCheckOutcome {
    // RFC 8489 §9.1.3: when authentication failed, no integrity in the error response.
    const response = errorResponse(
      request,
      code,
      { ...options, fingerprint: true },
      { unknown, software: this.#software },
    );
    return { kind: 'error', response, code, reason };
  }

  /** Our ufrag, for building USERNAME in tests and logs. */
  get localUfrag(): string {
    return this.#localUfrag;
  }
}
