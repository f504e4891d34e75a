import { createSelfSignedCertificate, nodeProvider } from '@x/crypto';
import { type LinkConditions, SimNetwork, type SocketAddress } from '@x/wire';
import type { Connection } from '../../connection/connection.js';
import type { QuicSessionTicket } from '../../connection/early-data.js';
import type { ClientConnectionOptions } from '../../connection/state.js';
import { Endpoint, type EndpointOptions } from '../endpoint.js';

export const ALPN = 'quic-echo-example';
export const SERVER: SocketAddress = { address: '10.0.0.1', port: 4433, family: 'IPv4' };
export const CLIENT: SocketAddress = { address: '10.0.0.2', port: 50000, family: 'IPv4' };

let cached: ReturnType<typeof createSelfSignedCertificate> | undefined;
export function testCertificate() {
  cached ??= createSelfSignedCertificate(nodeProvider, {
    commonName: 'localhost',
    dnsNames: ['localhost'],
    notBefore: Date.UTC(2024, 0, 1),
    notAfter: Date.UTC(2040, 0, 1),
  });
  return cached;
}

/** Echoes every stream back, FIN after the peer's FIN (the quic-echo server's behaviour). */
export function echoStreams(conn: Connection): void {
  for (let e = conn.pollEvent(); e; e = conn.pollEvent()) {
    if (e.kind !== 'stream-readable') continue;
    for (;;) {
      const r = conn.streamRead(e.id);
      if (r === undefined) break;
      if (r.data) conn.streamWrite(e.id, r.data.slice(), r.fin);
      else if (r.fin && r.reset === undefined) conn.streamWrite(e.id, new Uint8Array(0), true);
      if (!r.data || r.fin) break;
    }
  }
}

export function serverEndpoint(
  extra: Partial<EndpointOptions['server']> = {},
  options: Partial<EndpointOptions> = {},
) {
  const cert = testCertificate();
  return new Endpoint({
    server: {
      certificateChain: [cert.der],
      privateKey: cert.privateKey,
      alpnProtocols: [ALPN],
      ...extra,
    },
    onActivity: echoStreams,
    ...options,
  });
}

export interface EchoClient {
  readonly conn: Connection;
  readonly received: Map<number, Uint8Array[]>;
  readonly finished: Set<number>;
  readonly newTokens: Uint8Array[];
  readonly tickets: QuicSessionTicket[];
  connected: boolean;
}

/** A client that opens `streams` streams once connected (or at once, in 0-RTT) and sends `payload` on each. */
export function echoClient(
  net: SimNetwork,
  endpoint: Endpoint,
  payload: Uint8Array,
  streams = 1,
  options: Partial<ClientConnectionOptions> = {},
): EchoClient {
  const state: EchoClient = {
    conn: undefined as unknown as Connection,
    received: new Map(),
    finished: new Set(),
    newTokens: [],
    tickets: [],
    connected: false,
  };
  let opened = false;
  const open = (conn: Connection) => {
    opened = true;
    for (let i = 0; i < streams; i++) {
      const id = conn.openStream(true)!;
      state.received.set(id, []);
      conn.streamWrite(id, payload, true);
    }
  };
  const onActivity = (conn: Connection) => {
    for (let e = conn.pollEvent(); e; e = conn.pollEvent()) {
      if (e.kind === 'connected') {
        state.connected = true;
        if (!opened) open(conn);
      } else if (e.kind === 'new-token') {
        state.newTokens.push(e.token);
      } else if (e.kind === 'session-ticket') {
        state.tickets.push(e.ticket);
      } else if (e.kind === 'stream-readable') {
        for (;;) {
          const r = conn.streamRead(e.id);
          if (!r) break;
          if (r.data) state.received.get(e.id)?.push(r.data.slice());
          if (r.fin) {
            state.finished.add(e.id);
            break;
          }
          if (!r.data) break;
        }
      }
    }
  };
  const conn = endpoint.connect(
    { alpnProtocols: [ALPN], insecureSkipVerify: true, serverName: 'localhost', ...options },
    SERVER,
    net.now,
  );
  (state as { conn: Connection }).conn = conn;
  // With 0-RTT the streams go out in the first flight, before the handshake.
  if (conn.isInEarlyData) open(conn);
  activityHooks.set(endpoint, onActivity);
  net.wake(endpoint);
  return state;
}

export const activityHooks = new WeakMap<Endpoint, (c: Connection) => void>();

export function clientEndpoint(): Endpoint {
  let self: Endpoint | undefined;
  self = new Endpoint({ onActivity: (c) => activityHooks.get(self!)?.(c) });
  return self;
}

export function network(seed: number, link: Partial<LinkConditions> = {}) {
  const net = new SimNetwork({ seed, defaults: { delayMs: 10, ...link }, trace: false });
  return net;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Runs the network in 500 ms slices until `done()` or `limitMs` of virtual time. */
export function runUntil(net: SimNetwork, done: () => boolean, limitMs: number): void {
  const end = net.now + limitMs;
  while (!done() && net.now < end) net.run({ until: Math.min(end, net.now + 500) });
}

/** A connected client/server pair with no application logic: tests drive streams and read events. */
export function rawPair(
  seed: number,
  link: Partial<LinkConditions> = {},
  serverExtra: Partial<EndpointOptions['server']> = {},
  clientExtra: Partial<ClientConnectionOptions> = {},
) {
  const net = network(seed, link);
  const cert = testCertificate();
  const serverEp = new Endpoint({
    server: {
      certificateChain: [cert.der],
      privateKey: cert.privateKey,
      alpnProtocols: [ALPN],
      ...serverExtra,
    },
  });
  const clientEp = new Endpoint();
  net.addEndpoint(serverEp, SERVER);
  net.addEndpoint(clientEp, CLIENT);
  const client = clientEp.connect(
    { alpnProtocols: [ALPN], insecureSkipVerify: true, ...clientExtra },
    SERVER,
    net.now,
  );
  net.wake(clientEp);
  runUntil(net, () => client.isEstablished || client.isClosing, 5000);
  const server = () => serverEp.connections[0]!;
  /** Lets the application's changes go out and runs the network for `ms`. */
  const settle = (ms = 500) => {
    net.wake(clientEp);
    net.wake(serverEp);
    net.run({ until: net.now + ms });
  };
  return { net, client, server, serverEp, clientEp, settle };
}

export function drainEvents(conn: Connection) {
  const out = [];
  for (let e = conn.pollEvent(); e; e = conn.pollEvent()) out.push(e);
  return out;
}

/** Reads everything readable on a stream. */
export function readAll(
  conn: Connection,
  id: number,
): { data: Uint8Array; fin: boolean; reset?: number } {
  const parts: Uint8Array[] = [];
  let fin = false;
  let reset: number | undefined;
  for (;;) {
    const r = conn.streamRead(id);
    if (!r) break;
    if (r.data) parts.push(r.data);
    if (r.reset !== undefined) reset = r.reset;
    if (r.fin) {
      fin = true;
      break;
    }
    if (!r.data) break;
  }
  return { data: concat(parts), fin, reset };
}
