/** Certificate and CertificateVerify on both sides (RFC 8446 §4.4.2, §4.4.3). */
import type { PrivateKey } from '@x/crypto';
import { tlsError } from './alerts.js';
import type { Context } from './context.js';
import { encodeCertificate } from './messages/certificate.js';
import { decodeCertificateVerify, encodeCertificateVerify } from './messages/certificate-verify.js';
import type { HandshakeMessage } from './messages/handshake-type.js';
import { HandshakeType } from './messages/handshake-type.js';
import {
  certificateVerifyContent,
  schemeForKey,
  signingAlgorithm,
  VERIFY_SCHEMES,
  verifyingAlgorithm,
} from './signature-schemes.js';

export function certificateMessage(context: Uint8Array, chain: readonly Uint8Array[]): Uint8Array {
  return encodeCertificate({
    context,
    entries: chain.map((certData) => ({ certData, extensions: [] })),
  });
}

/** Signs the transcript so far with our key; the peer must have offered the scheme. */
export function certificateVerifyMessage(
  cx: Context,
  key: PrivateKey,
  peerSchemes: readonly number[],
  server: boolean,
): Uint8Array {
  const scheme = schemeForKey(key, peerSchemes);
  if (scheme === undefined) {
    throw tlsError(
      'handshake_failure',
      `the peer accepts no signature scheme our ${key.kind} key can make`,
    );
  }
  const content = certificateVerifyContent(server, cx.transcript.current());
  const signature = cx.provider.sign(signingAlgorithm(scheme), key, content);
  return encodeCertificateVerify({ scheme, signature });
}

/** Checks the peer's CertificateVerify against its leaf key and the transcript before it. */
export function checkCertificateVerify(
  cx: Context,
  msg: HandshakeMessage,
  fromServer: boolean,
): void {
  if (msg.type !== HandshakeType.certificate_verify) {
    throw tlsError(
      'unexpected_message',
      `expected CertificateVerify, got handshake type ${msg.type}`,
    );
  }
  const cv = decodeCertificateVerify(msg.body);
  if (!VERIFY_SCHEMES.includes(cv.scheme))
    throw tlsError(
      'illegal_parameter',
      `signature scheme 0x${cv.scheme.toString(16)} was not offered`,
    );
  const leaf = cx.negotiated.peerCertificates[0];
  if (leaf === undefined) throw tlsError('internal_error', 'no peer certificate');
  const algorithm = verifyingAlgorithm(cv.scheme, leaf.publicKey);
  const content = certificateVerifyContent(fromServer, cx.transcript.current());
  let ok: boolean;
  try {
    ok = cx.provider.verify(algorithm, leaf.publicKey, content, cv.signature);
  } catch {
    ok = false;
  }
  // §4.4.3: a signature that does not verify is decrypt_error.
  if (!ok) throw tlsError('decrypt_error', 'CertificateVerify signature does not verify');
  cx.transcript.add(msg.raw);
}

/** §4.4.4: the peer's Finished must be Hash.length bytes of the expected verify_data. */
export function checkFinished(cx: Context, msg: HandshakeMessage, baseKey: Uint8Array): void {
  if (msg.type !== HandshakeType.finished) {
    throw tlsError('unexpected_message', `expected Finished, got handshake type ${msg.type}`);
  }
  const schedule = cx.schedule;
  if (msg.body.length !== schedule.hashLength)
    throw tlsError('decode_error', 'Finished has the wrong length');
  if (!schedule.checkVerifyData(baseKey, cx.transcript.current(), msg.body)) {
    throw tlsError('decrypt_error', 'Finished verify_data does not match');
  }
  cx.transcript.add(msg.raw);
}

/** After the server Finished: the master secret and the application / exporter secrets (§7.1). */
export function deriveApplicationSecrets(cx: Context): void {
  const schedule = cx.schedule;
  schedule.inputMaster();
  const th = cx.transcript.current();
  cx.clientAppSecret = schedule.derive('c ap traffic', th);
  cx.serverAppSecret = schedule.derive('s ap traffic', th);
  cx.exporterMasterSecret = schedule.derive('exp master', th);
  cx.log('CLIENT_TRAFFIC_SECRET_0', cx.clientAppSecret);
  cx.log('SERVER_TRAFFIC_SECRET_0', cx.serverAppSecret);
  cx.log('EXPORTER_SECRET', cx.exporterMasterSecret);
}
