/** The server's choices from a ClientHello: suite, group, ALPN (RFC 8446 §4.1.1, RFC 7301 §3.2). */
import type { Tls13Suite } from '@x/crypto';
import { tlsError } from '../alerts.js';
import type { KeyExchangeGroup } from '../key-share/named-group.js';
import type { KeyShareEntry } from '../messages/extensions/key-share.js';

export function selectSuite(ours: readonly Tls13Suite[], offered: readonly number[]): Tls13Suite {
  for (const s of ours) if (offered.includes(s.id)) return s;
  throw tlsError('handshake_failure', 'no cipher suite in common');
}

/**
 * A share the client already sent, for the most preferred of our groups that has
 * one; otherwise the group to ask for in a HelloRetryRequest.
 */
export function selectGroup(
  ours: readonly KeyExchangeGroup[],
  supported: readonly number[],
  shares: readonly KeyShareEntry[],
): { group: KeyExchangeGroup; share: KeyShareEntry | undefined } {
  for (const g of ours) {
    const share = shares.find((s) => s.group === g.id);
    if (share !== undefined) {
      // §4.2.8: every share must be for a group listed in supported_groups.
      if (!supported.includes(g.id))
        throw tlsError('illegal_parameter', `key share for group ${g.id} not in supported_groups`);
      return { group: g, share };
    }
  }
  for (const g of ours) if (supported.includes(g.id)) return { group: g, share: undefined };
  throw tlsError('handshake_failure', 'no key exchange group in common');
}

export function selectAlpn(ours: readonly string[], offered: readonly string[]): string {
  for (const p of ours) if (offered.includes(p)) return p;
  throw tlsError(
    'no_application_protocol',
    `no common ALPN protocol (client offered ${offered.join(', ')})`,
  );
}
