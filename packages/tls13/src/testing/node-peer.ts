/** Helpers to run node:tls peers against ours in tests (loopback, ephemeral ports). */
import type { AddressInfo, Server } from 'node:net';
import * as tls from 'node:tls';
import { derToPem, privateKeyToPem } from '@x/crypto';
import type { TestIdentity } from './pair.js';

export function pemOf(id: TestIdentity): { cert: string; key: string } {
  return { cert: derToPem(id.der), key: privateKeyToPem(id.privateKey, id.publicKey) };
}

export function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Rejects after ms so no test waits forever on a peer. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timeout: ${what}`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/** node:tls names for our groups (its ecdhCurve option). */
export const NODE_CURVE: Record<string, string> = {
  x25519: 'X25519',
  secp256r1: 'P-256',
  secp384r1: 'P-384',
};

export { tls };
