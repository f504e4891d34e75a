import { Reader } from '@x/wire';
import { type Extension, ExtensionType, extension } from './extension.js';

/**
 * RFC 5764 §4.1.1 UseSRTPData:
 *   SRTPProtectionProfile SRTPProtectionProfiles<2..2^16-1>;
 *   opaque srtp_mki<0..255>;
 */
export interface UseSrtpData {
  readonly profiles: readonly number[];
  readonly mki: Uint8Array;
}

export function decodeUseSrtp(data: Uint8Array): UseSrtpData {
  const r = new Reader(data);
  const list = r.subReader(2, 'SRTPProtectionProfiles');
  if (list.remaining < 2 || list.remaining % 2 !== 0) {
    r.fail('SRTPProtectionProfiles<2..2^16-1> of uint16');
  }
  const profiles: number[] = [];
  while (!list.done) profiles.push(list.u16('SRTPProtectionProfile'));
  const mki = r.vector8('srtp_mki');
  r.expectEnd('end of use_srtp');
  return { profiles, mki };
}

export function useSrtpExtension(data: UseSrtpData): Extension {
  return extension(ExtensionType.use_srtp, (w) => {
    w.withLength(2, (b) => {
      for (const p of data.profiles) b.u16(p);
    });
    w.vector8(data.mki);
  });
}
