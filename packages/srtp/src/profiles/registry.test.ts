import { randomBytes } from 'node:crypto';
import { getCipherSuite, registerCipherSuite, unregisterCipherSuite } from '@x/crypto';
import { fromHex, toHex } from '@x/wire';
import { afterAll, describe, expect, it } from 'vitest';
import { SrtcpContext } from '../context/srtcp-context.js';
import { SrtpContext } from '../context/srtp-context.js';
import { SrtpError } from '../errors.js';
import { runLibsrtp } from '../test-support/libsrtp.js';
import { rtcpRr, rtp } from '../test-support/packets.js';
import { aesCmHmacSha1Transform } from './aes-cm.js';
import {
  getSrtpTransform,
  registerSrtpTransform,
  resolveSrtpProfile,
  supportedSrtpProfiles,
  unregisterSrtpTransform,
} from './registry.js';

describe('SRTP profile registry', () => {
  it('has the four DTLS-SRTP profiles built in, keyed by code point and name', () => {
    expect(supportedSrtpProfiles().sort()).toEqual([1, 2, 7, 8]);
    expect(resolveSrtpProfile('SRTP_AES128_CM_HMAC_SHA1_32').profile.id).toBe(2);
    expect(getSrtpTransform(7)).toBe(getSrtpTransform(8));
    expect(() => resolveSrtpProfile(5)).toThrow(SrtpError);
  });

  describe('a user profile, registered the way the built-ins are', () => {
    // RFC 6188 AES_256_CM_HMAC_SHA1_80 has no DTLS-SRTP code point; the user picks one.
    const ID = 0x0100;
    afterAll(() => {
      unregisterSrtpTransform(ID);
      unregisterCipherSuite('srtp', ID);
    });

    it('interoperates with libsrtp once its data and transform are registered', () => {
      expect(
        () =>
          new SrtpContext({
            profile: ID,
            masterKey: new Uint8Array(32),
            masterSalt: new Uint8Array(14),
          }),
      ).toThrow(SrtpError);
      registerCipherSuite({
        ...getCipherSuite('srtp', 1)!,
        id: ID,
        name: 'SRTP_AES256_CM_HMAC_SHA1_80',
        masterKeyLength: 32,
      });
      registerSrtpTransform(ID, aesCmHmacSha1Transform);
      const masterKey = randomBytes(32);
      const masterSalt = randomBytes(14);
      const opts = { profile: 'SRTP_AES256_CM_HMAC_SHA1_80', masterKey, masterSalt };
      const packets = [65535, 0, 1].map((s) => rtp(s));
      const ours = new SrtpContext(opts);
      const protectedByUs = packets.map((p) => toHex(ours.protect(p)));
      // The harness's profile 256 is libsrtp's srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80.
      const k = toHex(masterKey);
      const s = toHex(masterSalt);
      expect(runLibsrtp('protect', 256, k, s, packets.map(toHex))).toEqual(protectedByUs);
      expect(runLibsrtp('unprotect', 256, k, s, protectedByUs)).toEqual(packets.map(toHex));
      const rtcp = runLibsrtp('protect_rtcp', 256, k, s, [toHex(rtcpRr(1))]);
      expect(toHex(new SrtcpContext(opts).unprotect(fromHex(rtcp[0]!)))).toBe(toHex(rtcpRr(1)));
    });
  });
});
