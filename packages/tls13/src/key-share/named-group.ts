/**
 * RFC 8446 §4.2.7 NamedGroup values and the key exchange each group performs:
 * ECDHE (x25519, P-256, P-384) or the X25519MLKEM768 hybrid KEM. A client
 * starts an exchange and completes it with the server's share; a server
 * answers a client's share with its own share and the shared secret.
 */
import type { CryptoProvider, EcdheGroup } from '@x/crypto';
import { tlsError } from '../alerts.js';
import { x25519MlKem768 } from './x25519-mlkem768.js';

export const NamedGroup = {
  secp256r1: 0x0017,
  secp384r1: 0x0018,
  secp521r1: 0x0019,
  x25519: 0x001d,
  x448: 0x001e,
  X25519MLKEM768: 0x11ec,
} as const;

export interface ClientKeyExchange {
  readonly group: number;
  readonly publicKey: Uint8Array;
  /** The shared secret from the server's key_share; TlsError(illegal_parameter) on a bad share. */
  complete(serverShare: Uint8Array): Uint8Array;
}

export interface KeyExchangeGroup {
  readonly id: number;
  /** IANA name: x25519, secp256r1, secp384r1, X25519MLKEM768. */
  readonly name: string;
  start(provider: CryptoProvider): ClientKeyExchange;
  respond(
    provider: CryptoProvider,
    clientShare: Uint8Array,
  ): { share: Uint8Array; sharedSecret: Uint8Array };
}

/**
 * §4.2.8.2: P-256/P-384 shares are uncompressed points (0x04 || X || Y). The
 * libraries would accept a compressed point, so the length and form are checked here.
 */
export function checkEcdheShare(group: EcdheGroup, share: Uint8Array): void {
  const expected = group === 'x25519' ? 32 : group === 'P-256' ? 65 : 97;
  if (share.length !== expected || (group !== 'x25519' && share[0] !== 4)) {
    throw tlsError(
      'illegal_parameter',
      `${group} key share is not a ${expected}-byte ${group === 'x25519' ? 'key' : 'uncompressed point'}`,
    );
  }
}

function ecdhe(id: number, name: string, curve: EcdheGroup): KeyExchangeGroup {
  return {
    id,
    name,
    start(provider) {
      const pair = provider.generateKeyPair(curve);
      return {
        group: id,
        publicKey: pair.publicKey,
        complete(serverShare) {
          checkEcdheShare(curve, serverShare);
          return provider.deriveSharedSecret(curve, pair.privateKey, serverShare);
        },
      };
    },
    respond(provider, clientShare) {
      checkEcdheShare(curve, clientShare);
      const pair = provider.generateKeyPair(curve);
      return {
        share: pair.publicKey,
        sharedSecret: provider.deriveSharedSecret(curve, pair.privateKey, clientShare),
      };
    },
  };
}

const GROUPS = new Map<number, KeyExchangeGroup>();
for (const g of [
  ecdhe(NamedGroup.x25519, 'x25519', 'x25519'),
  ecdhe(NamedGroup.secp256r1, 'secp256r1', 'P-256'),
  ecdhe(NamedGroup.secp384r1, 'secp384r1', 'P-384'),
  x25519MlKem768,
]) {
  GROUPS.set(g.id, g);
}

export function getGroup(id: number): KeyExchangeGroup | undefined {
  return GROUPS.get(id);
}

/** Accepts IANA names and the common aliases (P-256, prime256v1, X25519MLKEM768). */
export function groupByName(name: string): KeyExchangeGroup | undefined {
  const n = name.trim();
  const alias: Record<string, number> = {
    x25519: NamedGroup.x25519,
    X25519: NamedGroup.x25519,
    secp256r1: NamedGroup.secp256r1,
    'P-256': NamedGroup.secp256r1,
    prime256v1: NamedGroup.secp256r1,
    secp384r1: NamedGroup.secp384r1,
    'P-384': NamedGroup.secp384r1,
    X25519MLKEM768: NamedGroup.X25519MLKEM768,
    x25519mlkem768: NamedGroup.X25519MLKEM768,
  };
  const id = alias[n];
  return id === undefined ? undefined : GROUPS.get(id);
}

export const groupName = (id: number): string =>
  GROUPS.get(id)?.name ?? `0x${id.toString(16).padStart(4, '0')}`;
