import {
  type CryptoProvider,
  createSelfSignedCertificate,
  defaultProvider,
  type PublicKey,
  type SigningKeyKind,
} from '@x/crypto';
import type { SocketAddress } from '@x/wire';
import type { DtlsCertificate } from '../src/config.js';

const DAY = 86_400_000;

/** A fresh self-signed certificate (ECDSA P-256 unless told; 'rsa-2048' needs the node provider). */
export function makeCertificate(
  kind: SigningKeyKind = 'P-256',
  provider: CryptoProvider = defaultProvider,
): DtlsCertificate & { der: Uint8Array; publicKey: PublicKey } {
  const now = Date.now();
  const key = provider.generateSigningKey(kind);
  const c = createSelfSignedCertificate(provider, {
    commonName: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    notBefore: now - DAY,
    notAfter: now + 30 * DAY,
    key,
  });
  return { chain: [c.der], privateKey: c.privateKey, der: c.der, publicKey: c.publicKey };
}

export const CLIENT_ADDR: SocketAddress = { address: '10.0.0.1', port: 5000, family: 'IPv4' };
export const SERVER_ADDR: SocketAddress = { address: '10.0.0.2', port: 4444, family: 'IPv4' };
