/**
 * One UDP socket, many QUIC connections (RFC 9000 §5.2): datagrams are routed
 * by Destination Connection ID; unknown Initials are handled statelessly
 * (Version Negotiation, optional Retry) and become a connection only once one
 * authenticates; unknown short headers get a stateless reset. Implements
 * @x/wire's DatagramEndpoint, so it runs on bindEndpoint (node:dgram) and in
 * SimNetwork unchanged.
 */
import { type CryptoProvider, defaultProvider } from '@x/crypto';
import {
  type DatagramEndpoint,
  equalBytes,
  type IncomingDatagram,
  type OutgoingDatagram,
  type SocketAddress,
  toHex,
} from '@x/wire';
import { encodeStatelessReset, statelessResetToken } from '../connection/cid-manager.js';
import { Connection, LOCAL_CID_LENGTH } from '../connection/connection.js';
import type { ClientConnectionOptions, ServerConnectionOptions } from '../connection/state.js';
import { STATELESS_RESET_TOKEN_LENGTH } from '../frame/new-connection-id.js';
import { createToken, validateToken } from '../handshake/token.js';
import { MIN_INITIAL_DATAGRAM_SIZE } from '../packet/builder.js';
import {
  type PacketHeader,
  parsePacketHeader,
  peekDestinationCid,
  QUIC_V1,
} from '../packet/header.js';
import { encodeRetry } from '../packet/retry.js';
import { encodeVersionNegotiation } from '../packet/version-negotiation.js';
import { Deadlines } from './deadlines.js';

export interface EndpointOptions {
  readonly provider?: CryptoProvider;
  /** Accept connections with these options (a server endpoint). */
  readonly server?: ServerConnectionOptions & {
    /** Answer every Initial without a valid token with a Retry (RFC 9000 §8.1.2). */
    readonly retry?: boolean;
  };
  /** Key of stateless reset tokens (RFC 9000 §10.3.2); random when absent. */
  readonly statelessResetKey?: Uint8Array;
  /** Key of Retry and NEW_TOKEN tokens (16 bytes); random when absent. */
  readonly tokenKey?: Uint8Array;
  /** One line per stateless packet sent (Retry with its token, Version Negotiation, stateless reset). */
  readonly trace?: (line: string) => void;
  /** A new server connection (its first Initial authenticated). */
  readonly onConnection?: (connection: Connection) => void;
  /** A connection received, timed out or changed state: drain its events. */
  readonly onActivity?: (connection: Connection) => void;
}

const MAX_STATELESS_QUEUE = 64;
/** RFC 9000 §10.3: 5 bytes that look like a short header, then the 16-byte token. */
const MIN_STATELESS_RESET = 21;
const utf8 = new TextEncoder();

function routeKey(cid: Uint8Array): string {
  return String.fromCharCode.apply(null, cid as unknown as number[]);
}

export class Endpoint implements DatagramEndpoint {
  readonly provider: CryptoProvider;
  readonly #options: EndpointOptions;
  readonly #resetKey: Uint8Array;
  readonly #tokenKey: Uint8Array;
  readonly #routes = new Map<string, Connection>();
  /** Every connection (in the order they were added) and the route keys of its IDs. */
  readonly #keys = new Map<Connection, Set<string>>();
  #list: Connection[] | undefined;
  /**
   * Connections that may have something to send: those that received, timed
   * out or were woken by an application call since poll() last found them
   * idle. poll() visits only these, so a datagram for one connection costs
   * the same with one connection open or ten thousand.
   */
  readonly #active = new Set<Connection>();
  readonly #deadlines = new Deadlines<Connection>();
  /**
   * The peers' stateless reset tokens, keyed by a keyed digest of the token
   * (so bucket timing says nothing about token values, RFC 9000 §10.3.1), and
   * the token arrays they were read from, to re-index only on change.
   */
  readonly #resetTokens = new Map<string, Connection>();
  readonly #indexedTokens = new Map<
    Connection,
    { tokens: readonly Uint8Array[]; keys: string[] }
  >();
  readonly #stateless: OutgoingDatagram[] = [];
  /** Counters for tests and the app: what was answered statelessly or dropped. */
  readonly stats = {
    retriesSent: 0,
    versionNegotiationsSent: 0,
    statelessResetsSent: 0,
    dropped: 0,
    /** Errors thrown by our own code (a bug); the datagram was dropped. */
    internalErrors: 0,
  };
  lastInternalError: unknown;

  constructor(options: EndpointOptions = {}) {
    this.#options = options;
    this.provider = options.provider ?? options.server?.provider ?? defaultProvider;
    this.#resetKey = options.statelessResetKey ?? this.provider.randomBytes(32);
    this.#tokenKey = options.tokenKey ?? this.provider.randomBytes(16);
  }

  get connections(): readonly Connection[] {
    this.#list ??= [...this.#keys.keys()];
    return this.#list;
  }

  /** Starts a client connection to `remote`; wake the driver afterwards. */
  connect(options: ClientConnectionOptions, remote: SocketAddress, now: number): Connection {
    const conn = Connection.client(
      { provider: this.provider, statelessResetKey: this.#resetKey, ...options },
      remote,
      now,
    );
    this.#add(conn, []);
    return conn;
  }

  #add(conn: Connection, extra: Uint8Array[]): void {
    const keys = new Set<string>();
    this.#keys.set(conn, keys);
    const route = (cid: Uint8Array) => {
      const k = routeKey(cid);
      keys.add(k);
      this.#routes.set(k, conn);
    };
    for (const cid of [conn.sourceCid, ...extra]) route(cid);
    conn.onCidIssued = route;
    conn.onCidRetired = (cid) => {
      const k = routeKey(cid);
      keys.delete(k);
      if (this.#routes.get(k) === conn) this.#routes.delete(k);
    };
    conn.onWake = () => {
      if (this.#keys.has(conn)) this.#active.add(conn);
    };
    this.#list = undefined;
    this.#active.add(conn);
  }

  #remove(conn: Connection): void {
    for (const k of this.#keys.get(conn) ?? []) {
      if (this.#routes.get(k) === conn) this.#routes.delete(k);
    }
    this.#keys.delete(conn);
    conn.onWake = undefined;
    this.#list = undefined;
    this.#active.delete(conn);
    this.#deadlines.delete(conn);
    this.#unindexResetTokens(conn);
  }

  /** After the connection received or timed out: it may now send, and its events need draining. */
  #after(conn: Connection): void {
    this.#active.add(conn);
    this.#options.onActivity?.(conn);
    if (conn.isClosed) this.#remove(conn);
    else this.#indexResetTokens(conn);
  }

  #resetTokenKey(token: Uint8Array): string {
    return routeKey(statelessResetToken(this.provider, this.#resetKey, token));
  }

  #indexResetTokens(conn: Connection): void {
    const tokens = conn.peerResetTokens;
    const indexed = this.#indexedTokens.get(conn);
    if (indexed?.tokens === tokens) return;
    this.#unindexResetTokens(conn);
    const keys = tokens.map((t) => this.#resetTokenKey(t));
    for (const k of keys) this.#resetTokens.set(k, conn);
    this.#indexedTokens.set(conn, { tokens, keys });
  }

  #unindexResetTokens(conn: Connection): void {
    for (const k of this.#indexedTokens.get(conn)?.keys ?? []) {
      if (this.#resetTokens.get(k) === conn) this.#resetTokens.delete(k);
    }
    this.#indexedTokens.delete(conn);
  }

  receive(d: IncomingDatagram, now: number): void {
    try {
      this.#receive(d, now);
    } catch (e) {
      // The contract forbids throwing; a throw here is our bug, counted for tests.
      this.stats.internalErrors++;
      this.lastInternalError = e;
    }
  }

  #receive(d: IncomingDatagram, now: number): void {
    const data = d.data;
    const dcid = peekDestinationCid(data, LOCAL_CID_LENGTH);
    if (dcid === undefined) {
      this.stats.dropped++;
      return;
    }
    const conn = this.#routes.get(routeKey(dcid));
    if (conn !== undefined) {
      conn.recv(data, { from: d.remote, to: d.local }, now);
      this.#after(conn);
      return;
    }
    if ((data[0]! & 0x80) !== 0) {
      this.#unknownLongHeader(d, now);
      return;
    }
    // A stateless reset arrives on a connection ID we cannot route (RFC 9000 §10.3.1):
    // its last 16 bytes find the connection, which compares them in constant time.
    if (data.length >= MIN_STATELESS_RESET) {
      const token = data.subarray(data.length - STATELESS_RESET_TOKEN_LENGTH);
      const c = this.#resetTokens.get(this.#resetTokenKey(token));
      if (c?.handleStatelessReset(data, now)) {
        this.#after(c);
        return;
      }
    }
    this.#statelessReset(d, dcid);
  }

  #queue(data: Uint8Array, remote: SocketAddress): void {
    if (this.#stateless.length < MAX_STATELESS_QUEUE) this.#stateless.push({ data, remote });
  }

  #unknownLongHeader(d: IncomingDatagram, now: number): void {
    const server = this.#options.server;
    const data = d.data;
    let h: PacketHeader;
    try {
      h = parsePacketHeader(data, 0, LOCAL_CID_LENGTH);
    } catch {
      this.stats.dropped++;
      return;
    }
    // RFC 9000 §14.1: a server discards Initial-bearing datagrams under 1200 bytes,
    // and answers only those with Version Negotiation (§6.1, amplification).
    if (server === undefined || data.length < MIN_INITIAL_DATAGRAM_SIZE) {
      this.stats.dropped++;
      return;
    }
    if (h.type === 'unsupported-version') {
      this.#queue(
        encodeVersionNegotiation({
          dcid: h.scid,
          scid: h.dcid,
          // A reserved version too (§6.3), so clients exercise VN handling.
          supportedVersions: [QUIC_V1, 0x1a2a3a4a],
          unusedBits: this.provider.randomBytes(1)[0]!,
        }),
        d.remote,
      );
      this.stats.versionNegotiationsSent++;
      this.#options.trace?.(
        `sent version_negotiation dcid=${toHex(h.scid)} scid=${toHex(h.dcid)} versions=0x1,0x1a2a3a4a`,
      );
      return;
    }
    // RFC 9000 §7.2: a client's first Destination Connection ID is at least 8 bytes.
    if (h.type !== 'initial' || h.dcid.length < 8) {
      this.stats.dropped++;
      return;
    }
    const address = utf8.encode(d.remote.address);
    const keyOptions = { provider: this.provider, key: this.#tokenKey };
    let validated = false;
    let originalDcid = h.dcid;
    let retrySourceCid: Uint8Array | undefined;
    if (h.token.length > 0) {
      const check = validateToken(keyOptions, h.token, address, now);
      if (check.valid && check.contents.kind === 'retry') {
        const rscid = check.contents.retrySourceConnectionId!;
        if (!equalBytes(rscid, h.dcid)) {
          this.stats.dropped++;
          return;
        }
        originalDcid = check.contents.originalDestinationConnectionId!;
        retrySourceCid = rscid;
        validated = true;
      } else if (check.valid) {
        validated = true;
      }
    }
    if (server.retry && !validated) {
      const scid = this.provider.randomBytes(LOCAL_CID_LENGTH);
      const token = createToken(
        keyOptions,
        {
          kind: 'retry',
          issuedAt: now,
          originalDestinationConnectionId: h.dcid,
          retrySourceConnectionId: scid,
        },
        address,
      );
      this.#queue(
        encodeRetry(this.provider, { dcid: h.scid, scid, token, originalDcid: h.dcid }),
        d.remote,
      );
      this.stats.retriesSent++;
      this.#options.trace?.(
        `sent retry dcid=${toHex(h.scid)} scid=${toHex(scid)} token=${toHex(token)} (odcid=${toHex(h.dcid)})`,
      );
      return;
    }
    const conn = Connection.server(
      {
        provider: this.provider,
        statelessResetKey: this.#resetKey,
        tokenKey: this.#tokenKey,
        ...server,
        qlog: server.qlogFactory?.() ?? server.qlog,
      },
      {
        originalDcid,
        initialDcid: h.dcid,
        clientScid: h.scid,
        retrySourceCid,
        addressValidated: validated,
        path: { from: d.remote, to: d.local },
      },
      now,
    );
    conn.recv(data, { from: d.remote, to: d.local }, now);
    // No state for an Initial that did not authenticate (RFC 9000 §5.2.2 spirit).
    if (!conn.hasReceivedValidPacket) {
      this.stats.dropped++;
      return;
    }
    this.#add(conn, [h.dcid]);
    this.#options.onConnection?.(conn);
    this.#after(conn);
  }

  #statelessReset(d: IncomingDatagram, dcid: Uint8Array): void {
    const token = statelessResetToken(this.provider, this.#resetKey, dcid);
    const reset = encodeStatelessReset(this.provider, token, d.data.length);
    if (reset === undefined) {
      this.stats.dropped++;
      return;
    }
    this.#queue(reset, d.remote);
    this.stats.statelessResetsSent++;
    this.#options.trace?.(`sent stateless_reset len=${reset.length} (for dcid=${toHex(dcid)})`);
  }

  poll(now: number): OutgoingDatagram | undefined {
    const stateless = this.#stateless.shift();
    if (stateless !== undefined) return stateless;
    for (const conn of this.#active) {
      let out: ReturnType<Connection['send']>;
      try {
        out = conn.send(now);
      } catch (e) {
        this.stats.internalErrors++;
        this.lastInternalError = e;
        out = undefined;
      }
      if (out !== undefined) {
        // To the back of the line: connections with data take turns datagram by datagram.
        this.#active.delete(conn);
        this.#active.add(conn);
        if (conn.isClosed) this.#after(conn);
        return { data: out.datagram, remote: out.to };
      }
      // Nothing now: what could change that (an ACK, a timer, an application
      // call) puts it back in #active. Its timers are settled now; while it
      // still sends, nextDeadline() reads them from the active set instead.
      this.#deadlines.set(conn, conn.timeout());
      this.#active.delete(conn);
      if (conn.isClosed) this.#after(conn);
    }
    return undefined;
  }

  nextDeadline(): number | undefined {
    // Connections not polled since they changed (a driver that asks before
    // draining) still count with their current timers.
    for (const c of this.#active) this.#deadlines.set(c, c.timeout());
    return this.#deadlines.peek();
  }

  handleTimeout(now: number): void {
    for (const c of this.#deadlines.takeDue(now)) {
      try {
        c.onTimeout(now);
      } catch (e) {
        this.stats.internalErrors++;
        this.lastInternalError = e;
      }
      this.#after(c);
    }
  }
}
