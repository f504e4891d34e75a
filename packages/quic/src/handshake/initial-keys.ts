import {
  type CryptoProvider,
  getCipherSuite,
  hkdfExpandLabel,
  hkdfExtract,
  type Tls13Suite,
} from '@x/crypto';
import { fromHex } from '@x/wire';
import { PacketProtection } from '../packet/protection.js';

/** RFC 9001 §5.2: initial_salt for QUIC version 1. */
export const INITIAL_SALT_V1 = fromHex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a');

const EMPTY = new Uint8Array(0);

/** RFC 9001 §5.2: Initial packets use AEAD_AES_128_GCM with SHA-256. */
export function initialSuite(): Tls13Suite {
  const suite = getCipherSuite('tls13', 0x1301);
  if (!suite) throw new Error('TLS_AES_128_GCM_SHA256 is not registered');
  return suite;
}

export interface InitialSecrets {
  readonly client: Uint8Array;
  readonly server: Uint8Array;
}

/**
 * RFC 9001 §5.2: initial_secret = HKDF-Extract(initial_salt, client_dst_connection_id);
 * client_initial_secret and server_initial_secret are expanded from it with the
 * labels "client in" and "server in".
 */
export function deriveInitialSecrets(
  provider: CryptoProvider,
  clientDcid: Uint8Array,
): InitialSecrets {
  const initialSecret = hkdfExtract(provider, 'SHA-256', INITIAL_SALT_V1, clientDcid);
  return {
    client: hkdfExpandLabel(provider, 'SHA-256', initialSecret, 'client in', EMPTY, 32),
    server: hkdfExpandLabel(provider, 'SHA-256', initialSecret, 'server in', EMPTY, 32),
  };
}

export interface InitialProtection {
  /** Protects what the client sends (and opens what the server receives). */
  readonly client: PacketProtection;
  /** Protects what the server sends. */
  readonly server: PacketProtection;
}

/**
 * Both directions of Initial packet protection for the Destination Connection ID
 * of the client's first Initial (or the SCID of a Retry, after one).
 */
export function initialProtection(
  provider: CryptoProvider,
  clientDcid: Uint8Array,
): InitialProtection {
  const suite = initialSuite();
  const secrets = deriveInitialSecrets(provider, clientDcid);
  return {
    client: PacketProtection.fromSecret(provider, suite, secrets.client),
    server: PacketProtection.fromSecret(provider, suite, secrets.server),
  };
}
