import { constantTimeEqual } from '@x/wire';
import { AlertDescription, DtlsError } from '../../errors.js';
import { computeVerifyData, deriveMasterSecret } from '../../key-schedule.js';
import { acceptPeerChain, verifyPeerSignature } from '../certificates.js';
import type { FlightMessage, HandshakeContext } from '../context.js';
import { preMasterSecret } from '../key-exchange.js';
import { decodeCertificate } from '../messages/certificate.js';
import { decodeCertificateVerify } from '../messages/certificate-verify.js';
import { decodeClientKeyExchange } from '../messages/client-key-exchange.js';
import { decodeFinished, encodeFinished } from '../messages/finished.js';
import { HandshakeType } from '../messages/handshake-header.js';

const fail = (alert: number, message: string): never => {
  throw new DtlsError(alert, message);
};

/** Flight 5, Certificate (only after our CertificateRequest). An empty list is allowed unless required. */
export function handleClientCertificate(ctx: HandshakeContext, body: Uint8Array): void {
  const chain = decodeCertificate(body);
  if (chain.length === 0) {
    if (ctx.options.requireClientCertificate || ctx.options.fingerprint !== undefined) {
      fail(AlertDescription.handshake_failure, 'client sent no certificate');
    }
    return;
  }
  acceptPeerChain(ctx, chain);
}

/** Flight 5, ClientKeyExchange: the pre-master and master secrets (transcript already holds this message). */
export function handleClientKeyExchange(ctx: HandshakeContext, body: Uint8Array): void {
  if (ctx.certificateRequestSchemes !== undefined && ctx.peerLeaf === undefined) {
    if (ctx.options.requireClientCertificate || ctx.options.fingerprint !== undefined) {
      fail(AlertDescription.handshake_failure, 'client certificate required');
    }
  }
  const share = decodeClientKeyExchange(body);
  const p = ctx.provider;
  const suite = ctx.suite!;
  const pms = preMasterSecret(p, ctx.group!, ctx.keyPair!.privateKey, share);
  const sessionHash = ctx.extendedMasterSecret ? ctx.transcript.hash(p, suite.hash) : undefined;
  ctx.masterSecret = deriveMasterSecret(
    p,
    suite.hash,
    pms,
    ctx.clientRandom,
    ctx.serverRandom,
    sessionHash,
  );
}

/** Flight 5, CertificateVerify over every message before it (RFC 5246 §7.4.8). */
export function handleCertificateVerify(ctx: HandshakeContext, body: Uint8Array): void {
  if (ctx.peerLeaf === undefined)
    fail(AlertDescription.unexpected_message, 'CertificateVerify without a certificate');
  const cv = decodeCertificateVerify(body);
  verifyPeerSignature(ctx, cv.signatureScheme, ctx.transcript.bytes(), cv.signature);
  ctx.peerVerified = true;
}

/** Flight 5, Finished; answers with flight 6: ChangeCipherSpec, Finished. */
export function serverFlight6(
  ctx: HandshakeContext,
  body: Uint8Array,
  messageSeq: number,
): FlightMessage[] {
  if (ctx.peerLeaf !== undefined && !ctx.peerVerified) {
    fail(AlertDescription.unexpected_message, 'client certificate without CertificateVerify');
  }
  const got = decodeFinished(body);
  const p = ctx.provider;
  const suite = ctx.suite!;
  const want = computeVerifyData(
    p,
    suite.hash,
    ctx.masterSecret!,
    'client finished',
    ctx.transcript.hash(p, suite.hash),
  );
  if (!constantTimeEqual(got, want))
    fail(AlertDescription.decrypt_error, 'client Finished does not verify');
  ctx.recordReceived(HandshakeType.finished, messageSeq, body);
  const verify = computeVerifyData(
    p,
    suite.hash,
    ctx.masterSecret!,
    'server finished',
    ctx.transcript.hash(p, suite.hash),
  );
  return [
    { kind: 'change_cipher_spec', epoch: 0 },
    ctx.message(HandshakeType.finished, encodeFinished(verify), 1),
  ];
}
