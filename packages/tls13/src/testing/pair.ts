/** In-memory client↔server plumbing for tests. */
import {
  type CryptoProvider,
  createSelfSignedCertificate,
  nodeProvider,
  type PrivateKey,
  type PublicKey,
} from '@x/crypto';
import type { ClientConfig, ServerConfig } from '../config.js';
import { type ConnectionHandlers, TlsConnection } from '../connection.js';

export interface TestIdentity {
  readonly der: Uint8Array;
  readonly privateKey: PrivateKey;
  readonly publicKey: PublicKey;
  readonly certificate: ReturnType<typeof createSelfSignedCertificate>['certificate'];
}

const cache = new Map<string, TestIdentity>();

/** A self-signed certificate for localhost / 127.0.0.1 with a key of the given kind. */
export function testIdentity(
  kind: 'P-256' | 'P-384' | 'ed25519' = 'P-256',
  provider: CryptoProvider = nodeProvider,
): TestIdentity {
  const hit = cache.get(kind);
  if (hit) return hit;
  const now = Date.now();
  const c = createSelfSignedCertificate(provider, {
    commonName: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    notBefore: now - 3600_000,
    notAfter: now + 30 * 86400_000,
    key: provider.generateSigningKey(kind),
  });
  const id = {
    der: c.der,
    privateKey: c.privateKey,
    publicKey: c.publicKey,
    certificate: c.certificate,
  };
  cache.set(kind, id);
  return id;
}

export interface Collected {
  data: Uint8Array[];
  closed: boolean;
}

export function collect(): { handlers: ConnectionHandlers; got: Collected } {
  const got: Collected = { data: [], closed: false };
  return {
    got,
    handlers: {
      onData: (d) => got.data.push(d.slice()),
      onClose: () => {
        got.closed = true;
      },
    },
  };
}

/** Moves bytes both ways until neither side has anything to send. */
export function pump(a: TlsConnection, b: TlsConnection, now = Date.now(), maxRounds = 50): void {
  for (let i = 0; i < maxRounds; i++) {
    const x = a.takeOutput();
    if (x) b.receive(x, now);
    const y = b.takeOutput();
    if (y) a.receive(y, now);
    if (!x && !y) return;
  }
  throw new Error('pump: no quiescence');
}

export function connectPair(
  client: Partial<ClientConfig> = {},
  server: Partial<ServerConfig> = {},
  kind: 'P-256' | 'P-384' | 'ed25519' = 'P-256',
) {
  const id = testIdentity(kind);
  const c = collect();
  const s = collect();
  const serverConn = TlsConnection.server(
    { certificateChain: [id.der], privateKey: id.privateKey, ...server },
    s.handlers,
  );
  const clientConn = TlsConnection.client(
    { serverName: 'localhost', trustAnchors: [id.certificate], ...client },
    c.handlers,
  );
  clientConn.start(Date.now());
  pump(clientConn, serverConn);
  return {
    client: clientConn,
    server: serverConn,
    clientGot: c.got,
    serverGot: s.got,
    identity: id,
  };
}

export const text = (parts: Uint8Array[]): string =>
  parts.map((p) => new TextDecoder().decode(p)).join('');
