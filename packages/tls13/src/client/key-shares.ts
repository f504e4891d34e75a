/** Which groups the first ClientHello carries key shares for. */
import { tlsError } from '../alerts.js';
import type { ClientConfig } from '../config.js';
import { getGroup, groupByName, type KeyExchangeGroup } from '../key-share/named-group.js';

export function resolveGroupsForShares(
  config: ClientConfig,
  groups: readonly KeyExchangeGroup[],
): KeyExchangeGroup[] {
  if (config.keyShares === undefined) return groups.slice(0, 1);
  return config.keyShares.map((ref) => {
    const g = typeof ref === 'number' ? getGroup(ref) : groupByName(ref);
    if (g === undefined || !groups.includes(g))
      throw tlsError(
        'internal_error',
        `key share group ${String(ref)} is not among the supported groups`,
      );
    return g;
  });
}
