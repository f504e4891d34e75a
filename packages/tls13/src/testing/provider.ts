/** A provider that delegates to `base` except for the methods overridden (injected randomness and keys). */
import type { CryptoProvider } from '@x/crypto';

export function wrapProvider(
  base: CryptoProvider,
  overrides: Partial<CryptoProvider>,
): CryptoProvider {
  const out: Record<string, unknown> = {};
  let proto: object | null = base;
  while (proto && proto !== Object.prototype) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || key in out) continue;
      const v = (base as unknown as Record<string, unknown>)[key];
      out[key] = typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(base) : v;
    }
    proto = Object.getPrototypeOf(proto);
  }
  return { ...(out as unknown as CryptoProvider), ...overrides };
}
