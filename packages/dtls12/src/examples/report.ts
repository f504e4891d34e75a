import { toHex } from '@x/wire';
import type { DtlsConnection } from '../connection.js';
import { IANA_GROUP_NAME } from './cli-options.js';

/** The two lines the examples print once the handshake completes. */
export function reportLines(c: DtlsConnection): string[] {
  const suite = c.cipherSuite?.name ?? '-';
  const group = c.group ? IANA_GROUP_NAME[c.group] : '-';
  return [
    `negotiated ${suite} ${group} ${c.srtpProfileName ?? '-'}`,
    `exporter ${toHex(c.exportKeyingMaterial('EXTRACTOR-dtls_srtp', undefined, 60))}`,
  ];
}
