/**
 * A STUN client endpoint: any number of client transactions to any servers on
 * one socket, as a DatagramEndpoint (run it with bindEndpoint or SimNetwork).
 */
import { type CryptoProvider, defaultProvider } from '@x/crypto';
import {
  type DatagramEndpoint,
  DecodeError,
  type IncomingDatagram,
  type OutgoingDatagram,
  type SocketAddress,
} from '@x/wire';
import { encodeText } from '../message/attributes/strings.js';
import { AttributeType } from '../message/attributes/types.js';
import { METHOD_BINDING } from '../message/header.js';
import {
  decodeMessage,
  encodeMessage,
  type IntegrityOptions,
  type StunAttribute,
} from '../message/message.js';
import type { LongTermCredentials } from './long-term.js';
import {
  ClientTransaction,
  type RetransmissionOptions,
  type TransactionOutcome,
} from './transaction.js';

export interface StunClientOptions extends RetransmissionOptions {
  readonly provider?: CryptoProvider;
  /** Sent as SOFTWARE in every request. */
  readonly software?: string;
  /** Add FINGERPRINT to requests (default true). */
  readonly fingerprint?: boolean;
  /** Datagrams that are not responses to our transactions (e.g. other protocols on the socket). */
  readonly onOtherDatagram?: (datagram: IncomingDatagram, now: number) => void;
}

export interface StunRequestOptions extends RetransmissionOptions {
  readonly method?: number;
  readonly attributes?: readonly StunAttribute[];
  /** Protect the request and require the response to verify with the same key. */
  readonly integrity?: IntegrityOptions;
  /**
   * Long-term credentials (RFC 8489 §9.2): a 401 or 438 answer is followed by a
   * retry in a new transaction, and onComplete gets the final outcome.
   */
  readonly credentials?: LongTermCredentials;
  /** Comprehension-required attributes the caller understands in responses (e.g. TURN's). */
  readonly knownAttributes?: ReadonlySet<number>;
  readonly onComplete?: (outcome: TransactionOutcome, transaction: ClientTransaction) => void;
}

/** At most this many authentication retries per request (401 then 438, ...). */
const MAX_CHALLENGES = 3;

interface Entry {
  readonly transaction: ClientTransaction;
  readonly remote: SocketAddress;
  readonly options: StunRequestOptions;
  readonly challenges: number;
}

function idKey(id: Uint8Array): string {
  return String.fromCharCode(...id);
}

export class StunClient implements DatagramEndpoint {
  readonly #options: StunClientOptions;
  readonly #provider: CryptoProvider;
  readonly #pending = new Map<string, Entry>();
  readonly #software: Uint8Array | undefined;

  constructor(options: StunClientOptions = {}) {
    this.#options = options;
    this.#provider = options.provider ?? defaultProvider;
    this.#software =
      options.software === undefined ? undefined : encodeText(options.software, 'SOFTWARE');
  }

  /** Transactions still waiting for an outcome. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Starts a request (a Binding request by default); the first copy goes out on
   * the next poll. With `credentials`, a challenge starts a new transaction and
   * the returned one ends with the 401/438; onComplete sees the final outcome.
   */
  request(remote: SocketAddress, options: StunRequestOptions = {}): ClientTransaction {
    return this.#start(remote, options, 0);
  }

  #start(
    remote: SocketAddress,
    options: StunRequestOptions,
    challenges: number,
  ): ClientTransaction {
    const transactionId = this.#provider.randomBytes(12);
    const attributes: StunAttribute[] = [...(options.attributes ?? [])];
    if (this.#software) attributes.unshift({ type: AttributeType.SOFTWARE, value: this.#software });
    let integrity = options.integrity;
    if (options.credentials) {
      const auth = options.credentials.authenticate();
      attributes.push(...auth.attributes);
      integrity = auth.integrity ?? integrity;
    }
    const method = options.method ?? METHOD_BINDING;
    const bytes = encodeMessage(
      { method, class: 'request', transactionId, attributes },
      { integrity, fingerprint: this.#options.fingerprint ?? true },
    );
    const transaction = new ClientTransaction(bytes, method, {
      rto: options.rto ?? this.#options.rto,
      rc: options.rc ?? this.#options.rc,
      rm: options.rm ?? this.#options.rm,
      integrityKey: integrity?.key,
      provider: integrity?.provider,
      challengeCodes: options.credentials ? [401, 438] : [],
      knownAttributes: options.knownAttributes,
    });
    this.#pending.set(idKey(transaction.transactionId), {
      transaction,
      remote,
      options,
      challenges,
    });
    return transaction;
  }

  receive(datagram: IncomingDatagram, now: number): void {
    let entry: Entry | undefined;
    try {
      const message = decodeMessage(datagram.data);
      entry = this.#pending.get(idKey(message.transactionId));
      if (entry?.transaction.receive(message, now)) {
        this.#complete(entry);
        return;
      }
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
    }
    if (!entry) this.#options.onOtherDatagram?.(datagram, now);
  }

  poll(now: number): OutgoingDatagram | undefined {
    for (const entry of this.#pending.values()) {
      const data = entry.transaction.poll(now);
      if (data) return { data, remote: entry.remote };
    }
    return undefined;
  }

  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const { transaction } of this.#pending.values()) {
      const d = transaction.nextDeadline();
      if (d !== undefined && (next === undefined || d < next)) next = d;
    }
    return next;
  }

  handleTimeout(now: number): void {
    for (const entry of [...this.#pending.values()]) {
      entry.transaction.handleTimeout(now);
      if (entry.transaction.done) this.#complete(entry);
    }
  }

  #complete(entry: Entry): void {
    this.#pending.delete(idKey(entry.transaction.transactionId));
    const outcome = entry.transaction.outcome!;
    const { credentials } = entry.options;
    if (
      credentials &&
      outcome.kind === 'error-response' &&
      (outcome.code === 401 || outcome.code === 438) &&
      entry.challenges < MAX_CHALLENGES &&
      credentials.challenge(outcome.response) === 'retry'
    ) {
      this.#start(entry.remote, entry.options, entry.challenges + 1);
      return;
    }
    entry.options.onComplete?.(outcome, entry.transaction);
  }
}
