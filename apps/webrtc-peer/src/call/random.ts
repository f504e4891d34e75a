/** Random values a call needs: RTP SSRCs and ICE credentials. */
import type { CryptoProvider } from '@x/crypto';

/** RFC 8839 §5.4 ice-char: ALPHA / DIGIT / "+" / "/" (64 of them, so one byte's low 6 bits pick one). */
const ICE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** `n` random ice-chars (ufrag, password). */
export function randomIceString(provider: CryptoProvider, n: number): string {
  let s = '';
  for (const b of provider.randomBytes(n)) s += ICE_CHARS[b & 63];
  return s;
}

/** A random non-zero 32-bit SSRC (RFC 3550 §8.1). */
export function randomSsrc(provider: CryptoProvider): number {
  const b = provider.randomBytes(4);
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0 || 1;
}
