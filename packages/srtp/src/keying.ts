import type { SrtpProfile } from '@x/crypto';
import { SrtpError } from './errors.js';
import { resolveSrtpProfile } from './profiles/registry.js';

/** The exporter label DTLS-SRTP uses (RFC 5764 §4.2). */
export const DTLS_SRTP_EXPORTER_LABEL = 'EXTRACTOR-dtls_srtp';

export interface SrtpMasterKeys {
  readonly masterKey: Uint8Array;
  readonly masterSalt: Uint8Array;
}

export interface DtlsSrtpKeys {
  readonly client: SrtpMasterKeys;
  readonly server: SrtpMasterKeys;
}

/**
 * Bytes of EXTRACTOR-dtls_srtp keying material a profile needs: 2 * (key + salt),
 * i.e. 60 for the AES-CM profiles, 56 for AES-128-GCM, 88 for AES-256-GCM.
 */
export function dtlsSrtpKeyingMaterialLength(profile: number | string | SrtpProfile): number {
  const p = resolveSrtpProfile(profile).profile;
  return 2 * (p.masterKeyLength + p.masterSaltLength);
}

/**
 * RFC 5764 §4.2: the keying material is
 * client_write_SRTP_master_key | server_write_SRTP_master_key |
 * client_write_SRTP_master_salt | server_write_SRTP_master_salt.
 */
export function splitDtlsSrtpKeyingMaterial(
  profile: number | string | SrtpProfile,
  material: Uint8Array,
): DtlsSrtpKeys {
  const p = resolveSrtpProfile(profile).profile;
  const k = p.masterKeyLength;
  const s = p.masterSaltLength;
  if (material.length !== 2 * (k + s)) {
    throw new SrtpError(
      'bad_key',
      `${p.name} needs ${2 * (k + s)} bytes of keying material, got ${material.length}`,
    );
  }
  return {
    client: { masterKey: material.slice(0, k), masterSalt: material.slice(2 * k, 2 * k + s) },
    server: { masterKey: material.slice(k, 2 * k), masterSalt: material.slice(2 * k + s) },
  };
}

/** The keys this side protects with (local) and the peer's (remote), for a DTLS role. */
export function dtlsSrtpLocalRemoteKeys(
  profile: number | string | SrtpProfile,
  material: Uint8Array,
  role: 'client' | 'server',
): { local: SrtpMasterKeys; remote: SrtpMasterKeys } {
  const keys = splitDtlsSrtpKeyingMaterial(profile, material);
  return role === 'client'
    ? { local: keys.client, remote: keys.server }
    : { local: keys.server, remote: keys.client };
}
