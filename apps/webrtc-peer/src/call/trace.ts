/**
 * `--trace` text for DTLS datagrams: the records in a datagram and, for
 * plaintext handshake records, the message names (RFC 6347 §4.1, §4.2.2),
 * like "ClientHello" or "ServerHello, Certificate, ServerKeyExchange, ...".
 * Only used when tracing, never on the media path.
 */
const HANDSHAKE: Record<number, string> = {
  0: 'HelloRequest',
  1: 'ClientHello',
  2: 'ServerHello',
  3: 'HelloVerifyRequest',
  4: 'NewSessionTicket',
  11: 'Certificate',
  12: 'ServerKeyExchange',
  13: 'CertificateRequest',
  14: 'ServerHelloDone',
  15: 'CertificateVerify',
  16: 'ClientKeyExchange',
  20: 'Finished',
};
const CONTENT: Record<number, string> = {
  20: 'ChangeCipherSpec',
  21: 'Alert',
  22: 'Handshake',
  23: 'ApplicationData',
};

export function describeDtls(datagram: Uint8Array): string {
  const parts: string[] = [];
  let at = 0;
  while (at + 13 <= datagram.length) {
    const type = datagram[at]!;
    const epoch = (datagram[at + 3]! << 8) | datagram[at + 4]!;
    const length = (datagram[at + 11]! << 8) | datagram[at + 12]!;
    const body = at + 13;
    if (type === 22 && epoch === 0 && body < datagram.length) {
      parts.push(HANDSHAKE[datagram[body]!] ?? `handshake(${datagram[body]})`);
    } else if (type === 22) {
      parts.push('Finished (encrypted)');
    } else {
      parts.push(
        `${CONTENT[type] ?? `record(${type})`}${epoch > 0 && type !== 20 ? ' (encrypted)' : ''}`,
      );
    }
    at = body + length;
  }
  return parts.join(', ');
}
