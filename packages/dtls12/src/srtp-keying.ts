import { getCipherSuite, type SrtpProfile } from '@x/crypto';
import { DtlsError } from './errors.js';
import type { KeyingMaterialExporter } from './exporter.js';

/** RFC 5764 §4.2: the exporter label for DTLS-SRTP. */
export const DTLS_SRTP_EXPORTER_LABEL = 'EXTRACTOR-dtls_srtp';

/** RFC 5764 §4.2 key material split into the four SRTP master keys and salts. */
export interface SrtpKeyingMaterial {
  readonly profile: SrtpProfile;
  readonly clientWriteKey: Uint8Array;
  readonly serverWriteKey: Uint8Array;
  readonly clientWriteSalt: Uint8Array;
  readonly serverWriteSalt: Uint8Array;
}

/** 2 * (key + salt): 60 for AES-CM, 56 for AES-128-GCM, 88 for AES-256-GCM. */
export function srtpKeyingMaterialLength(profile: SrtpProfile): number {
  return 2 * (profile.masterKeyLength + profile.masterSaltLength);
}

/**
 * RFC 5764 §4.2: client_write_SRTP_master_key | server_write_SRTP_master_key |
 * client_write_SRTP_master_salt | server_write_SRTP_master_salt, exported with
 * label EXTRACTOR-dtls_srtp and no context.
 */
export function deriveSrtpKeyingMaterial(
  exporter: KeyingMaterialExporter,
  profileId: number,
): SrtpKeyingMaterial {
  const profile = getCipherSuite('srtp', profileId);
  if (profile === undefined)
    throw new DtlsError(80, `unknown SRTP profile 0x${profileId.toString(16)}`);
  const k = profile.masterKeyLength;
  const s = profile.masterSaltLength;
  const m = exporter.exportKeyingMaterial(
    DTLS_SRTP_EXPORTER_LABEL,
    undefined,
    srtpKeyingMaterialLength(profile),
  );
  return {
    profile,
    clientWriteKey: m.subarray(0, k),
    serverWriteKey: m.subarray(k, 2 * k),
    clientWriteSalt: m.subarray(2 * k, 2 * k + s),
    serverWriteSalt: m.subarray(2 * k + s, 2 * k + 2 * s),
  };
}
