/**
 * One STUN client transaction over UDP (RFC 8489 §6.2.1), sans-I/O: the request
 * is sent at once, retransmitted after RTO, 2·RTO, 4·RTO, ... until Rc requests
 * have gone out, and the transaction times out Rm·RTO after the last one. With
 * the defaults (RTO 500 ms, Rc 7, Rm 16) requests leave at 0, 500, 1500, 3500,
 * 7500, 15500 and 31500 ms and the transaction fails at 39500 ms.
 */
import type { CryptoProvider } from '@x/crypto';
import { equalBytes } from '@x/wire';
import { decodeErrorCode } from '../message/attributes/error-code.js';
import { AttributeType } from '../message/attributes/types.js';
import { checkFingerprint } from '../message/fingerprint.js';
import { verifyIntegrity } from '../message/integrity.js';
import { findAttribute, unknownComprehensionRequired } from '../message/lookup.js';
import type { DecodedStunMessage } from '../message/message.js';

export interface RetransmissionOptions {
  /** Initial retransmission timeout, ms (RFC 8489 §6.2.1: at least 500 on the Internet). */
  readonly rto?: number;
  /** Requests sent in all (default 7). */
  readonly rc?: number;
  /** Wait after the last request, in multiples of RTO (default 16). */
  readonly rm?: number;
}

export interface TransactionOptions extends RetransmissionOptions {
  /**
   * Short-term or long-term key the response must be protected with (§9.1.4):
   * responses that fail the check are discarded and retransmission goes on.
   */
  readonly integrityKey?: Uint8Array;
  /** Needed with integrityKey. */
  readonly provider?: CryptoProvider;
  /**
   * Error codes accepted without integrity even when integrityKey is set: the
   * long-term mechanism handles 401 and 438 before checking integrity (§9.2.5).
   */
  readonly challengeCodes?: readonly number[];
  /** Comprehension-required attributes the caller understands beyond this package's (e.g. TURN's). */
  readonly knownAttributes?: ReadonlySet<number>;
}

export type TransactionOutcome =
  | {
      readonly kind: 'success';
      readonly response: DecodedStunMessage;
      /** Round-trip time; undefined after a retransmission (Karn's algorithm, §6.2.1). */
      readonly rtt: number | undefined;
    }
  | {
      readonly kind: 'error-response';
      readonly response: DecodedStunMessage;
      readonly code: number;
      readonly reason: string;
    }
  /** No (acceptable) response within the schedule. */
  | { readonly kind: 'timeout' }
  /** Only responses that failed the integrity check arrived (§9.1.4). */
  | { readonly kind: 'integrity-violation' }
  /** A response the client must treat as a failure (§6.3.3, §6.3.4). */
  | { readonly kind: 'failed'; readonly response: DecodedStunMessage; readonly reason: string };

export class ClientTransaction {
  readonly request: Uint8Array;
  readonly transactionId: Uint8Array;
  readonly method: number;
  readonly rto: number;
  readonly rc: number;
  readonly rm: number;
  /** When each request copy was handed to the driver (virtual or real ms). */
  readonly sendTimes: number[] = [];
  #integrityKey: Uint8Array | undefined;
  #provider: CryptoProvider | undefined;
  #challengeCodes: readonly number[];
  #known: ReadonlySet<number> | undefined;
  #sendDue = true;
  #deadline: number | undefined;
  #sawBadIntegrity = false;
  #outcome: TransactionOutcome | undefined;
  #completedAt: number | undefined;

  /** `request` is the encoded request; its header supplies the transaction ID and method. */
  constructor(request: Uint8Array, method: number, options: TransactionOptions = {}) {
    this.request = request;
    this.transactionId = request.subarray(8, 20);
    this.method = method;
    this.rto = options.rto ?? 500;
    this.rc = options.rc ?? 7;
    this.rm = options.rm ?? 16;
    if (!(this.rto > 0) || !(this.rc >= 1) || !(this.rm > 0)) {
      throw new RangeError('RTO, Rc and Rm must be positive');
    }
    this.#integrityKey = options.integrityKey;
    this.#provider = options.provider;
    this.#challengeCodes = options.challengeCodes ?? [];
    this.#known = options.knownAttributes;
    if (this.#integrityKey && !this.#provider)
      throw new RangeError('integrityKey needs a provider');
  }

  get outcome(): TransactionOutcome | undefined {
    return this.#outcome;
  }

  get done(): boolean {
    return this.#outcome !== undefined;
  }

  /** When the outcome was decided. */
  get completedAt(): number | undefined {
    return this.#completedAt;
  }

  /** The request bytes when a (re)transmission is due now, else undefined. */
  poll(now: number): Uint8Array | undefined {
    if (!this.#sendDue || this.#outcome) return undefined;
    this.#sendDue = false;
    this.sendTimes.push(now);
    const n = this.sendTimes.length;
    // After the k-th request wait RTO·2^(k-1); after the Rc-th, Rm·RTO (§6.2.1).
    this.#deadline = n < this.rc ? now + this.rto * 2 ** (n - 1) : now + this.rm * this.rto;
    return this.request;
  }

  nextDeadline(): number | undefined {
    return this.#outcome || this.#sendDue ? undefined : this.#deadline;
  }

  handleTimeout(now: number): void {
    if (this.#outcome || this.#sendDue || this.#deadline === undefined || now < this.#deadline)
      return;
    if (this.sendTimes.length < this.rc) {
      this.#sendDue = true;
    } else {
      this.#finish(
        this.#sawBadIntegrity ? { kind: 'integrity-violation' } : { kind: 'timeout' },
        now,
      );
    }
  }

  /**
   * Offers a decoded message. Returns true when it was this transaction's
   * response and decided the outcome; false when it was not ours or was
   * discarded (bad FINGERPRINT, failed integrity), so retransmission goes on.
   */
  receive(message: DecodedStunMessage, now: number): boolean {
    if (this.#outcome) return false;
    if (message.class !== 'success' && message.class !== 'error') return false;
    if (message.method !== this.method || !equalBytes(message.transactionId, this.transactionId)) {
      return false;
    }
    if (checkFingerprint(message) === 'bad') return false;
    if (
      this.#integrityKey &&
      !this.#isChallenge(message) &&
      !verifyIntegrity(message, this.#integrityKey, this.#provider!)
    ) {
      this.#sawBadIntegrity = true;
      return false;
    }
    const unknown = unknownComprehensionRequired(message, this.#known);
    if (unknown.length > 0) {
      const list = unknown.map((t) => `0x${t.toString(16).padStart(4, '0')}`).join(', ');
      this.#finish(
        {
          kind: 'failed',
          response: message,
          reason: `unknown comprehension-required attributes ${list}`,
        },
        now,
      );
      return true;
    }
    if (message.class === 'success') {
      const rtt = this.sendTimes.length === 1 ? now - this.sendTimes[0]! : undefined;
      this.#finish({ kind: 'success', response: message, rtt }, now);
      return true;
    }
    const attr = findAttribute(message, AttributeType.ERROR_CODE);
    let outcome: TransactionOutcome;
    try {
      if (!attr) throw new Error('error response without ERROR-CODE');
      const { code, reason } = decodeErrorCode(attr.value);
      outcome = { kind: 'error-response', response: message, code, reason };
    } catch (e) {
      outcome = { kind: 'failed', response: message, reason: (e as Error).message };
    }
    this.#finish(outcome, now);
    return true;
  }

  /** Stops the transaction without an outcome of its own (the application gave up). */
  cancel(now: number): void {
    if (!this.#outcome) this.#finish({ kind: 'timeout' }, now);
  }

  #isChallenge(message: DecodedStunMessage): boolean {
    if (message.class !== 'error' || this.#challengeCodes.length === 0) return false;
    const attr = findAttribute(message, AttributeType.ERROR_CODE);
    if (!attr) return false;
    try {
      return this.#challengeCodes.includes(decodeErrorCode(attr.value).code);
    } catch {
      return false;
    }
  }

  #finish(outcome: TransactionOutcome, now: number): void {
    this.#outcome = outcome;
    this.#completedAt = now;
    this.#deadline = undefined;
  }
}
