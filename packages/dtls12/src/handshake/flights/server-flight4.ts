import { type EcdheGroup, getCipherSuite } from '@x/crypto';
import { concatBytes } from '@x/wire';
import { AlertDescription, DtlsError } from '../../errors.js';
import { DTLS1_2 } from '../../record/record.js';
import { chooseSigningScheme, sign } from '../certificates.js';
import type { FlightMessage, HandshakeContext } from '../context.js';
import { encodeCertificate } from '../messages/certificate.js';
import {
  ClientCertificateType,
  encodeCertificateRequest,
} from '../messages/certificate-request.js';
import type { ClientHello } from '../messages/client-hello.js';
import {
  decodeEcPointFormats,
  ecPointFormatsExtension,
} from '../messages/extensions/ec-point-formats.js';
import { extendedMasterSecretExtension } from '../messages/extensions/extended-master-secret.js';
import { type Extension, ExtensionType, findExtension } from '../messages/extensions/extension.js';
import {
  decodeRenegotiationInfo,
  renegotiationInfoExtension,
  TLS_EMPTY_RENEGOTIATION_INFO_SCSV,
} from '../messages/extensions/renegotiation-info.js';
import { decodeSignatureAlgorithms } from '../messages/extensions/signature-algorithms.js';
import {
  decodeSupportedGroups,
  groupCode,
  groupFromCode,
} from '../messages/extensions/supported-groups.js';
import { decodeSupportedVersions } from '../messages/extensions/supported-versions.js';
import { decodeUseSrtp, useSrtpExtension } from '../messages/extensions/use-srtp.js';
import { HandshakeType } from '../messages/handshake-header.js';
import { encodeServerHello } from '../messages/server-hello.js';
import {
  encodeServerEcdhParams,
  encodeServerKeyExchange,
} from '../messages/server-key-exchange.js';

const fail = (alert: number, message: string): never => {
  throw new DtlsError(alert, message);
};

/** Whether the hello lets us answer with DTLS 1.2 (RFC 6347 §4.1; RFC 8446 §4.2.1 for supported_versions). */
function acceptsDtls12(hello: ClientHello): boolean {
  const sv = findExtension(hello.extensions, ExtensionType.supported_versions);
  if (sv !== undefined) {
    // Chromium offers {DTLS 1.3, DTLS 1.2}: we pick 1.2 and answer without the extension.
    return decodeSupportedVersions(sv.data).includes(DTLS1_2);
  }
  // DTLS versions count down: 0xfefd (1.2) < 0xfeff (1.0).
  return hello.clientVersion <= DTLS1_2;
}

/**
 * Server flight 4 from a (cookie-checked) ClientHello: negotiate by our own
 * preference, then ServerHello, Certificate, ServerKeyExchange,
 * [CertificateRequest], ServerHelloDone.
 */
export function serverFlight4(ctx: HandshakeContext, hello: ClientHello): FlightMessage[] {
  const o = ctx.options;
  const p = ctx.provider;
  const cert = o.certificate;
  if (cert === undefined) fail(AlertDescription.internal_error, 'server has no certificate');
  if (!acceptsDtls12(hello))
    fail(AlertDescription.protocol_version, 'client does not offer DTLS 1.2');
  if (!hello.compressionMethods.includes(0))
    fail(AlertDescription.illegal_parameter, 'null compression not offered');
  ctx.clientRandom = hello.random.slice();

  const ext = (type: number): Extension | undefined => findExtension(hello.extensions, type);
  const reneg = ext(ExtensionType.renegotiation_info);
  if (reneg !== undefined) {
    // RFC 5746 §3.6: an initial hello carries an empty renegotiated_connection.
    if (decodeRenegotiationInfo(reneg.data).length !== 0)
      fail(AlertDescription.handshake_failure, 'non-empty renegotiation_info');
    ctx.secureRenegotiation = true;
  }
  if (hello.cipherSuites.includes(TLS_EMPTY_RENEGOTIATION_INFO_SCSV))
    ctx.secureRenegotiation = true;

  const pf = ext(ExtensionType.ec_point_formats);
  if (pf !== undefined && !decodeEcPointFormats(pf.data).includes(0)) {
    fail(AlertDescription.illegal_parameter, 'client does not accept uncompressed points');
  }
  const sg = ext(ExtensionType.supported_groups);
  const offeredGroups: EcdheGroup[] | undefined = sg
    ? decodeSupportedGroups(sg.data).flatMap((c) => groupFromCode(c) ?? [])
    : undefined;
  const group = o.groups.find((g) => offeredGroups === undefined || offeredGroups.includes(g));
  if (group === undefined) fail(AlertDescription.handshake_failure, 'no common group');
  ctx.group = group;

  const sa = ext(ExtensionType.signature_algorithms);
  const peerSchemes = sa ? decodeSignatureAlgorithms(sa.data) : undefined;
  const scheme = chooseSigningScheme(cert!.privateKey, peerSchemes, o.signatureSchemes);
  if (scheme === undefined)
    fail(AlertDescription.handshake_failure, 'no common signature algorithm');

  // Our certificate's key decides which suites we can serve (RFC 8422 §2 / RFC 5289):
  // ECDHE_ECDSA for an EC or Ed25519 key, ECDHE_RSA for an RSA key.
  const authentication = cert!.privateKey.kind === 'rsa' ? 'RSA' : 'ECDSA';
  const suiteId = o.cipherSuites.find((id) => {
    const s = getCipherSuite('tls12', id);
    return (
      s !== undefined && s.authentication === authentication && hello.cipherSuites.includes(id)
    );
  });
  if (suiteId === undefined) fail(AlertDescription.handshake_failure, 'no common cipher suite');
  ctx.suite = getCipherSuite('tls12', suiteId!);

  const ems = ext(ExtensionType.extended_master_secret);
  if (ems !== undefined && ems.data.length !== 0)
    fail(AlertDescription.decode_error, 'extended_master_secret not empty');
  ctx.extendedMasterSecret = ems !== undefined;
  if (!ctx.extendedMasterSecret && o.requireExtendedMasterSecret) {
    fail(AlertDescription.handshake_failure, 'client did not offer extended_master_secret');
  }

  const srtp = ext(ExtensionType.use_srtp);
  if (srtp !== undefined && o.srtpProfiles.length > 0) {
    const offer = decodeUseSrtp(srtp.data);
    // RFC 5764 §4.1.1 (and OpenSSL, the issue): the server picks by its own preference.
    ctx.srtpProfile = o.srtpProfiles.find((id) => offer.profiles.includes(id));
    ctx.srtpMki = offer.mki.slice();
  }

  ctx.serverRandom = p.randomBytes(32);
  const extensions: Extension[] = [];
  if (ctx.secureRenegotiation) extensions.push(renegotiationInfoExtension());
  if (ctx.extendedMasterSecret) extensions.push(extendedMasterSecretExtension());
  if (pf !== undefined) extensions.push(ecPointFormatsExtension());
  if (ctx.srtpProfile !== undefined) {
    // §4.1.1: the server echoes the client's MKI (we do not use it for SRTP).
    extensions.push(useSrtpExtension({ profiles: [ctx.srtpProfile], mki: ctx.srtpMki }));
  }
  const flight: FlightMessage[] = [];
  flight.push(
    ctx.message(
      HandshakeType.server_hello,
      encodeServerHello({
        serverVersion: DTLS1_2,
        random: ctx.serverRandom,
        sessionId: new Uint8Array(0),
        cipherSuite: suiteId!,
        compressionMethod: 0,
        extensions,
      }),
    ),
  );
  flight.push(ctx.message(HandshakeType.certificate, encodeCertificate(cert!.chain)));

  ctx.keyPair = p.generateKeyPair(group!);
  const params = encodeServerEcdhParams(groupCode(group!), ctx.keyPair.publicKey);
  const signature = sign(
    ctx,
    cert!.privateKey,
    scheme!,
    concatBytes(ctx.clientRandom, ctx.serverRandom, params),
  );
  flight.push(
    ctx.message(
      HandshakeType.server_key_exchange,
      encodeServerKeyExchange({
        namedCurve: groupCode(group!),
        publicKey: ctx.keyPair.publicKey,
        signatureScheme: scheme!,
        signature,
      }),
    ),
  );
  if (o.requestClientCertificate || o.requireClientCertificate || o.fingerprint !== undefined) {
    flight.push(
      ctx.message(
        HandshakeType.certificate_request,
        encodeCertificateRequest({
          certificateTypes: Uint8Array.of(
            ClientCertificateType.ecdsa_sign,
            ClientCertificateType.rsa_sign,
          ),
          signatureSchemes: o.signatureSchemes,
          certificateAuthorities: [],
        }),
      ),
    );
    ctx.certificateRequestSchemes = o.signatureSchemes;
  }
  flight.push(ctx.message(HandshakeType.server_hello_done, new Uint8Array(0)));
  return flight;
}
