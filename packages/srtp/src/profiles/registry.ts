import { findCipherSuite, getCipherSuite, type SrtpProfile } from '@x/crypto';
import { SrtpError } from '../errors.js';
import { aesCmHmacSha1Transform } from './aes-cm.js';
import { aesGcmTransform } from './aes-gcm.js';
import type { SrtpTransform } from './transform.js';

const transforms = new Map<number, SrtpTransform>();

/**
 * Makes a protection profile usable by SRTP contexts. Its data (key, salt and
 * tag lengths) lives in @x/crypto's cipher-suite registry, family 'srtp'
 * (`registerCipherSuite`); this adds how packets are transformed. The built-in
 * profiles are registered through this same call.
 */
export function registerSrtpTransform(profileId: number, transform: SrtpTransform): void {
  if (!Number.isInteger(profileId) || profileId < 0 || profileId > 0xffff) {
    throw new RangeError(`SRTP protection profile out of range: ${profileId}`);
  }
  transforms.set(profileId, transform);
}

export function unregisterSrtpTransform(profileId: number): boolean {
  return transforms.delete(profileId);
}

export function getSrtpTransform(profileId: number): SrtpTransform | undefined {
  return transforms.get(profileId);
}

/** Profile ids that have both suite data and a transform, i.e. that a context can use. */
export function supportedSrtpProfiles(): number[] {
  return [...transforms.keys()].filter((id) => getCipherSuite('srtp', id) !== undefined);
}

/** Looks a profile up by DTLS-SRTP code point or IANA name (e.g. "SRTP_AEAD_AES_128_GCM"). */
export function resolveSrtpProfile(profile: number | string | SrtpProfile): {
  profile: SrtpProfile;
  transform: SrtpTransform;
} {
  const data =
    typeof profile === 'number'
      ? getCipherSuite('srtp', profile)
      : typeof profile === 'string'
        ? findCipherSuite('srtp', profile)
        : profile;
  const transform = data === undefined ? undefined : transforms.get(data.id);
  if (data === undefined || transform === undefined) {
    throw new SrtpError(
      'unknown_profile',
      `no SRTP protection profile ${typeof profile === 'object' ? profile.name : String(profile)} is registered`,
    );
  }
  return { profile: data, transform };
}

// RFC 5764 §4.1.2 and RFC 7714 §14.2 code points.
registerSrtpTransform(0x0001, aesCmHmacSha1Transform); // SRTP_AES128_CM_HMAC_SHA1_80
registerSrtpTransform(0x0002, aesCmHmacSha1Transform); // SRTP_AES128_CM_HMAC_SHA1_32
registerSrtpTransform(0x0007, aesGcmTransform); // SRTP_AEAD_AES_128_GCM
registerSrtpTransform(0x0008, aesGcmTransform); // SRTP_AEAD_AES_256_GCM
