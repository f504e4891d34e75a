import type { SrtpContextOptions } from './context/options.js';
import { SrtcpContext } from './context/srtcp-context.js';
import { SrtpContext } from './context/srtp-context.js';
import {
  DTLS_SRTP_EXPORTER_LABEL,
  dtlsSrtpKeyingMaterialLength,
  dtlsSrtpLocalRemoteKeys,
} from './keying.js';

/**
 * The one method SRTP needs from a finished DTLS handshake (RFC 5705 exporter).
 * @x/dtls12's connection has this shape; so can any other key exchange.
 */
export interface KeyingMaterialExporter {
  exportKeyingMaterial(label: string, context: Uint8Array | undefined, length: number): Uint8Array;
}

export interface DtlsSrtpContexts {
  /** Protects what this side sends (its write keys). */
  readonly outbound: { readonly rtp: SrtpContext; readonly rtcp: SrtcpContext };
  /** Unprotects what the peer sends (the peer's write keys). */
  readonly inbound: { readonly rtp: SrtpContext; readonly rtcp: SrtcpContext };
}

/**
 * RFC 5764 §4.2: exports the profile's keying material with label
 * "EXTRACTOR-dtls_srtp" and no context, and builds the four contexts of a
 * DTLS-SRTP session for this side's DTLS role.
 */
export function dtlsSrtpContexts(
  exporter: KeyingMaterialExporter,
  profile: number | string,
  role: 'client' | 'server',
  options: Omit<SrtpContextOptions, 'profile' | 'masterKey' | 'masterSalt'> = {},
): DtlsSrtpContexts {
  const material = exporter.exportKeyingMaterial(
    DTLS_SRTP_EXPORTER_LABEL,
    undefined,
    dtlsSrtpKeyingMaterialLength(profile),
  );
  const { local, remote } = dtlsSrtpLocalRemoteKeys(profile, material, role);
  const out = { ...options, profile, ...local };
  const inb = { ...options, profile, ...remote };
  return {
    outbound: { rtp: new SrtpContext(out), rtcp: new SrtcpContext(out) },
    inbound: { rtp: new SrtpContext(inb), rtcp: new SrtcpContext(inb) },
  };
}
