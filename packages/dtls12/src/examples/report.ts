import { toHex } from '@x/wire';
import type { DtlsConnection } from '../connection.js';
import { DTLS_SRTP_EXPORTER_LABEL } from '../srtp-keying.js';
import { IANA_GROUP_NAME } from './cli-options.js';

/** The two lines the examples print once the handshake completes. */
export function reportLines(c: DtlsConnection): string[] {
  const suite = c.cipherSuite?.name ?? '-';
  const group = c.group ? IANA_GROUP_NAME[c.group] : '-';
  return [
    `negotiated ${suite} ${group} ${c.srtpProfileName ?? '-'}`,
    `exporter ${toHex(c.exportKeyingMaterial(DTLS_SRTP_EXPORTER_LABEL, undefined, 60))}`,
  ];
}
