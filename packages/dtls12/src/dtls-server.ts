import {
  type DatagramEndpoint,
  type IncomingDatagram,
  type OutgoingDatagram,
  Reader,
  type SocketAddress,
} from '@x/wire';
import { type DtlsOptions, type ResolvedOptions, resolveOptions } from './config.js';
import { DtlsConnection } from './connection.js';
import { CookieJar, type CookieOptions } from './cookie.js';
import { serverFlight0 } from './handshake/flights/server-flight0.js';
import { decodeRecord } from './record/record.js';
import { SessionTable } from './session-table.js';

export interface DtlsServerOptions extends DtlsOptions {
  readonly cookie?: CookieOptions;
  /** Most concurrent sessions; hellos beyond it are ignored. Default 10 000. */
  readonly maxSessions?: number;
}

export interface DtlsSession {
  readonly remote: SocketAddress;
  readonly connection: DtlsConnection;
}

/**
 * A DTLS server as a DatagramEndpoint (@x/wire): one DtlsConnection per peer
 * address, created only when a ClientHello returns a valid cookie (RFC 6347
 * §4.2.1). Until then every answer is computed from the datagram alone.
 */
export class DtlsServer implements DatagramEndpoint {
  readonly #options: DtlsServerOptions;
  readonly #resolved: ResolvedOptions;
  readonly #jar: CookieJar;
  readonly #sessions = new SessionTable<DtlsSession>();
  readonly #stateless: OutgoingDatagram[] = [];
  /** Sessions that may have datagrams queued. */
  readonly #ready = new Set<DtlsSession>();
  readonly #onSession: ((s: DtlsSession) => void)[] = [];
  readonly #maxSessions: number;

  constructor(options: DtlsServerOptions) {
    const resolved = resolveOptions(options); // validated once, shared by every session
    if (resolved.certificate === undefined) throw new TypeError('DtlsServer needs a certificate');
    this.#options = options;
    this.#resolved = resolved;
    this.#jar = new CookieJar(resolved.provider, options.cookie);
    this.#maxSessions = options.maxSessions ?? 10_000;
  }

  /** Called when a peer passed the cookie exchange and its session was created. */
  onSession(listener: (session: DtlsSession) => void): this {
    this.#onSession.push(listener);
    return this;
  }

  /** Live sessions by peer address (size, values(), get(remote)). */
  get sessions(): Pick<SessionTable<DtlsSession>, 'size' | 'values' | 'get'> {
    return this.#sessions;
  }

  receive(datagram: IncomingDatagram, now: number): void {
    try {
      this.#jar.tick(now);
      const existing = this.#sessions.get(datagram.remote);
      if (existing !== undefined) {
        const st = existing.connection.state;
        if (st === 'handshaking' || st === 'connected') {
          if (this.#restart(existing, datagram, now)) return;
          existing.connection.receive(datagram.data, now);
          this.#ready.add(existing);
          return;
        }
        this.#sessions.delete(datagram.remote); // a closed/failed session's address may start over
      }
      const record = decodeRecord(new Reader(datagram.data));
      const verdict = serverFlight0(this.#jar, datagram.remote, record);
      if (verdict.kind === 'verify') {
        this.#stateless.push({ data: verdict.datagram, remote: datagram.remote });
      } else if (verdict.kind === 'accept' && this.#sessions.size < this.#maxSessions) {
        const session: DtlsSession = {
          remote: datagram.remote,
          connection: new DtlsConnection('server', this.#options, this.#resolved),
        };
        this.#sessions.set(datagram.remote, session);
        for (const l of this.#onSession) l(session);
        session.connection.receive(datagram.data, now);
        this.#ready.add(session);
      }
    } catch {
      // Never throw out of an endpoint (DatagramEndpoint contract): a bad datagram is dropped.
    }
  }

  poll(now: number): OutgoingDatagram | undefined {
    const s = this.#stateless.shift();
    if (s !== undefined) return s;
    for (const session of this.#ready) {
      const data = session.connection.poll(now);
      if (data !== undefined) return { data, remote: session.remote };
      this.#ready.delete(session);
      this.#reap(session);
    }
    return undefined;
  }

  nextDeadline(): number | undefined {
    let min: number | undefined;
    for (const s of this.#sessions.values()) {
      const d = s.connection.nextDeadline();
      if (d !== undefined && (min === undefined || d < min)) min = d;
    }
    return min;
  }

  handleTimeout(now: number): void {
    for (const s of this.#sessions.values()) {
      const d = s.connection.nextDeadline();
      if (d !== undefined && d <= now) {
        s.connection.handleTimeout(now);
        this.#ready.add(s);
      }
    }
  }

  /** Sends close_notify to every peer. */
  close(): void {
    for (const s of this.#sessions.values()) {
      s.connection.close();
      this.#ready.add(s);
    }
  }

  /**
   * RFC 6347 §4.2.8: an epoch-0 ClientHello with a new random from the
   * address of a live (or half-done) association may be a restarted client.
   * It gets the cookie exchange; only a valid cookie replaces the association.
   */
  #restart(existing: DtlsSession, datagram: IncomingDatagram, now: number): boolean {
    const d = datagram.data;
    if (d.length < 14 || d[0] !== 22 || d[3] !== 0 || d[4] !== 0 || d[13] !== 1) return false;
    const verdict = serverFlight0(this.#jar, datagram.remote, decodeRecord(new Reader(d)));
    if (verdict.kind === 'drop') return false;
    const same = verdict.hello.random.every((b, i) => b === existing.connection.clientRandom[i]);
    if (same) return false; // our own peer repeating a hello: the connection answers it
    if (verdict.kind === 'verify') {
      this.#stateless.push({ data: verdict.datagram, remote: datagram.remote });
      return true;
    }
    const session: DtlsSession = {
      remote: datagram.remote,
      connection: new DtlsConnection('server', this.#options, this.#resolved),
    };
    this.#sessions.set(datagram.remote, session);
    for (const l of this.#onSession) l(session);
    session.connection.receive(d, now);
    this.#ready.add(session);
    return true;
  }

  #reap(session: DtlsSession): void {
    const st = session.connection.state;
    // Failed or closed (close_notify already drained): free the slot, unless a newer session took it.
    if ((st === 'failed' || st === 'closed') && this.#sessions.get(session.remote) === session) {
      this.#sessions.delete(session.remote);
    }
  }
}
