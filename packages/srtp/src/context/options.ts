import { type CryptoProvider, defaultProvider, type SrtpProfile } from '@x/crypto';
import { SrtpError } from '../errors.js';
import { deriveSessionKeys } from '../kdf.js';
import { resolveSrtpProfile } from '../profiles/registry.js';
import type { SrtpCipher } from '../profiles/transform.js';
import { DEFAULT_REPLAY_WINDOW, ReplayWindow } from './replay.js';

export interface SrtpContextOptions {
  /** DTLS-SRTP code point (1, 2, 7, 8, or one you registered) or IANA name. */
  readonly profile: number | string | SrtpProfile;
  readonly masterKey: Uint8Array;
  readonly masterSalt: Uint8Array;
  /** Defaults to @x/crypto's defaultProvider (node:crypto on Node). */
  readonly provider?: CryptoProvider;
  /** Replay window in packets (RFC 3711 §3.3.2); default 64. */
  readonly replayWindow?: number;
  /** Master Key Identifier to send and to require (RFC 3711 §3.1); none by default. */
  readonly mki?: Uint8Array;
  /**
   * False for authentication without encryption (SRTCP E = 0, RTP payload in
   * the clear); true by default. Received SRTCP follows each packet's E flag.
   */
  readonly encrypt?: boolean;
}

export interface ResolvedContext {
  readonly profile: SrtpProfile;
  readonly cipher: SrtpCipher;
  readonly replayWindow: number;
  readonly mki: Uint8Array;
}

export function resolveContext(o: SrtpContextOptions, kind: 'rtp' | 'rtcp'): ResolvedContext {
  const { profile, transform } = resolveSrtpProfile(o.profile);
  if (o.masterKey.length !== profile.masterKeyLength) {
    throw new SrtpError(
      'bad_key',
      `${profile.name} needs a ${profile.masterKeyLength}-byte master key, got ${o.masterKey.length}`,
    );
  }
  if (o.masterSalt.length !== profile.masterSaltLength) {
    throw new SrtpError(
      'bad_key',
      `${profile.name} needs a ${profile.masterSaltLength}-byte master salt, got ${o.masterSalt.length}`,
    );
  }
  const replayWindow = o.replayWindow ?? DEFAULT_REPLAY_WINDOW;
  new ReplayWindow(replayWindow); // validates the size now rather than at the first packet
  const provider = o.provider ?? defaultProvider;
  const keys = deriveSessionKeys(
    provider,
    o.masterKey,
    o.masterSalt,
    kind,
    transform.sessionKeyLengths(profile),
  );
  const mki = (o.mki ?? new Uint8Array(0)).slice();
  const cipher = transform.create(provider, profile, keys, { mki, encrypt: o.encrypt ?? true });
  return { profile, cipher, replayWindow, mki };
}
