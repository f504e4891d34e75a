import { getCipherSuite } from '@x/crypto';
import { concatBytes, constantTimeEqual } from '@x/wire';
import { AlertDescription, DtlsError } from '../../errors.js';
import { computeVerifyData, deriveMasterSecret } from '../../key-schedule.js';
import { DTLS1_2 } from '../../record/record.js';
import {
  acceptPeerChain,
  chooseSigningScheme,
  sign,
  verifyPeerSignature,
} from '../certificates.js';
import type { FlightMessage, HandshakeContext } from '../context.js';
import { preMasterSecret } from '../key-exchange.js';
import { decodeCertificate, encodeCertificate } from '../messages/certificate.js';
import { decodeCertificateRequest } from '../messages/certificate-request.js';
import { encodeCertificateVerify } from '../messages/certificate-verify.js';
import { encodeClientKeyExchange } from '../messages/client-key-exchange.js';
import { decodeEcPointFormats } from '../messages/extensions/ec-point-formats.js';
import { ExtensionType } from '../messages/extensions/extension.js';
import { decodeRenegotiationInfo } from '../messages/extensions/renegotiation-info.js';
import { groupFromCode } from '../messages/extensions/supported-groups.js';
import { decodeUseSrtp } from '../messages/extensions/use-srtp.js';
import { decodeFinished, encodeFinished } from '../messages/finished.js';
import { HandshakeType } from '../messages/handshake-header.js';
import { decodeServerHello } from '../messages/server-hello.js';
import { decodeServerHelloDone } from '../messages/server-hello-done.js';
import {
  decodeServerKeyExchange,
  encodeServerEcdhParams,
} from '../messages/server-key-exchange.js';

const fail = (alert: number, message: string): never => {
  throw new DtlsError(alert, message);
};

/** Flight 4, first message: ServerHello. Checks every choice against what we offered (RFC 5246 §7.4.1.3). */
export function handleServerHello(ctx: HandshakeContext, body: Uint8Array): void {
  const sh = decodeServerHello(body);
  const o = ctx.options;
  if (sh.serverVersion !== DTLS1_2)
    fail(
      AlertDescription.protocol_version,
      `server chose version 0x${sh.serverVersion.toString(16)}`,
    );
  if (!o.cipherSuites.includes(sh.cipherSuite))
    fail(AlertDescription.illegal_parameter, 'server chose a suite we did not offer');
  if (sh.compressionMethod !== 0)
    fail(AlertDescription.illegal_parameter, 'server chose compression');
  ctx.suite = getCipherSuite('tls12', sh.cipherSuite);
  ctx.serverRandom = sh.random.slice();
  ctx.sessionId = sh.sessionId.slice();
  for (const e of sh.extensions) {
    switch (e.type) {
      case ExtensionType.extended_master_secret:
        if (e.data.length !== 0)
          fail(AlertDescription.decode_error, 'extended_master_secret not empty');
        ctx.extendedMasterSecret = true;
        break;
      case ExtensionType.renegotiation_info:
        // RFC 5746 §3.4: on an initial handshake it must be empty.
        if (decodeRenegotiationInfo(e.data).length !== 0)
          fail(AlertDescription.handshake_failure, 'non-empty renegotiation_info');
        ctx.secureRenegotiation = true;
        break;
      case ExtensionType.use_srtp: {
        const srtp = decodeUseSrtp(e.data);
        // RFC 5764 §4.1.1: exactly one profile, one we offered.
        if (srtp.profiles.length !== 1 || !o.srtpProfiles.includes(srtp.profiles[0]!)) {
          fail(AlertDescription.illegal_parameter, 'server use_srtp profile not offered');
        }
        if (srtp.mki.length !== 0)
          fail(AlertDescription.illegal_parameter, 'server MKI differs from ours (none)');
        ctx.srtpProfile = srtp.profiles[0];
        break;
      }
      case ExtensionType.ec_point_formats:
        if (!decodeEcPointFormats(e.data).includes(0))
          fail(AlertDescription.illegal_parameter, 'server lacks uncompressed points');
        break;
      case ExtensionType.supported_groups:
      case ExtensionType.signature_algorithms:
      case ExtensionType.supported_versions:
        // RFC 5246 §7.4.1.4: a server must not send an extension we did not offer.
        fail(
          AlertDescription.unsupported_extension,
          `unexpected extension ${e.type} in ServerHello`,
        );
        break;
      case ExtensionType.session_ticket:
        if (!o.offerSessionTicket)
          fail(AlertDescription.unsupported_extension, 'session_ticket not offered');
        break;
      default:
        fail(
          AlertDescription.unsupported_extension,
          `unexpected extension ${e.type} in ServerHello`,
        );
    }
  }
  if (!ctx.extendedMasterSecret && o.requireExtendedMasterSecret) {
    fail(AlertDescription.handshake_failure, 'server did not negotiate extended_master_secret');
  }
}

export function handleServerCertificate(ctx: HandshakeContext, body: Uint8Array): void {
  const chain = decodeCertificate(body);
  acceptPeerChain(ctx, chain);
  const key = ctx.peerLeaf!.publicKey;
  const want = ctx.suite!.authentication;
  const fits = want === 'RSA' ? key.kind === 'rsa' : key.kind === 'ec' || key.kind === 'ed25519';
  if (!fits)
    fail(AlertDescription.unsupported_certificate, `${want} suite with a ${key.kind} certificate`);
}

/** RFC 8422 §5.4: verify the signature over client_random + server_random + ServerECDHParams. */
export function handleServerKeyExchange(ctx: HandshakeContext, body: Uint8Array): void {
  const ske = decodeServerKeyExchange(body);
  const group = groupFromCode(ske.namedCurve);
  if (group === undefined || !ctx.options.groups.includes(group)) {
    fail(
      AlertDescription.illegal_parameter,
      `server chose group ${ske.namedCurve} we did not offer`,
    );
  }
  const signed = concatBytes(
    ctx.clientRandom,
    ctx.serverRandom,
    encodeServerEcdhParams(ske.namedCurve, ske.publicKey),
  );
  verifyPeerSignature(ctx, ske.signatureScheme, signed, ske.signature);
  ctx.group = group;
  ctx.peerPublicKey = ske.publicKey.slice();
}

export function handleCertificateRequest(ctx: HandshakeContext, body: Uint8Array): void {
  ctx.certificateRequestSchemes = decodeCertificateRequest(body).signatureSchemes;
}

/**
 * ServerHelloDone ends flight 4; flight 5 is [Certificate], ClientKeyExchange,
 * [CertificateVerify], ChangeCipherSpec, Finished (RFC 5246 §7.3).
 * Returns the flight; the caller installs the epoch 1 keys from ctx.masterSecret.
 */
export function clientFlight5(ctx: HandshakeContext, body: Uint8Array): FlightMessage[] {
  decodeServerHelloDone(body);
  const p = ctx.provider;
  const suite = ctx.suite!;
  const flight: FlightMessage[] = [];
  const cert = ctx.options.certificate;
  const sendCert = ctx.certificateRequestSchemes !== undefined;
  let scheme: number | undefined;
  if (sendCert) {
    if (cert !== undefined) {
      scheme = chooseSigningScheme(
        cert.privateKey,
        ctx.certificateRequestSchemes,
        ctx.options.signatureSchemes,
      );
    }
    // Without a usable key we send an empty Certificate (RFC 5246 §7.4.6).
    flight.push(
      ctx.message(
        HandshakeType.certificate,
        encodeCertificate(scheme !== undefined ? cert!.chain : []),
      ),
    );
  }
  ctx.keyPair = p.generateKeyPair(ctx.group!);
  const pms = preMasterSecret(p, ctx.group!, ctx.keyPair.privateKey, ctx.peerPublicKey!);
  flight.push(
    ctx.message(HandshakeType.client_key_exchange, encodeClientKeyExchange(ctx.keyPair.publicKey)),
  );
  // RFC 7627 §3: session_hash covers messages up to and including ClientKeyExchange.
  const sessionHash = ctx.extendedMasterSecret ? ctx.transcript.hash(p, suite.hash) : undefined;
  ctx.masterSecret = deriveMasterSecret(
    p,
    suite.hash,
    pms,
    ctx.clientRandom,
    ctx.serverRandom,
    sessionHash,
  );
  if (scheme !== undefined) {
    const signature = sign(ctx, cert!.privateKey, scheme, ctx.transcript.bytes());
    flight.push(
      ctx.message(
        HandshakeType.certificate_verify,
        encodeCertificateVerify({ signatureScheme: scheme, signature }),
      ),
    );
  }
  flight.push({ kind: 'change_cipher_spec', epoch: 0 });
  const verify = computeVerifyData(
    p,
    suite.hash,
    ctx.masterSecret,
    'client finished',
    ctx.transcript.hash(p, suite.hash),
  );
  flight.push(ctx.message(HandshakeType.finished, encodeFinished(verify), 1));
  return flight;
}

/** Flight 6: the server's Finished over everything including our Finished. */
export function handleServerFinished(ctx: HandshakeContext, body: Uint8Array): void {
  const got = decodeFinished(body);
  const suite = ctx.suite!;
  const want = computeVerifyData(
    ctx.provider,
    suite.hash,
    ctx.masterSecret!,
    'server finished',
    ctx.transcript.hash(ctx.provider, suite.hash),
  );
  if (!constantTimeEqual(got, want))
    fail(AlertDescription.decrypt_error, 'server Finished does not verify');
}
