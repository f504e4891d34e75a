/**
 * The server's flight (RFC 8446 §2): ServerHello, then under handshake keys
 * EncryptedExtensions, [CertificateRequest, Certificate, CertificateVerify]
 * and Finished, after which the application write keys are installed (0.5-RTT).
 */
import type { Tls13Suite } from '@x/crypto';
import { certificateMessage, certificateVerifyMessage, deriveApplicationSecrets } from '../auth.js';
import type { Context } from '../context.js';
import { KeySchedule } from '../key-schedule.js';
import type { KeyExchangeGroup } from '../key-share/named-group.js';
import { encodeCertificateRequest } from '../messages/certificate-request.js';
import type { ClientHello } from '../messages/client-hello.js';
import { encodeEncryptedExtensions } from '../messages/encrypted-extensions.js';
import { encodeAlpn } from '../messages/extensions/alpn.js';
import { encodeServerKeyShare } from '../messages/extensions/key-share.js';
import { encodeSelectedIdentity } from '../messages/extensions/psk.js';
import { encodeSignatureAlgorithms } from '../messages/extensions/signature-algorithms.js';
import {
  encodeServerSupportedVersion,
  TLS12,
  TLS13,
} from '../messages/extensions/supported-versions.js';
import { type Extension, ExtensionType } from '../messages/extensions/types.js';
import { encodeFinished } from '../messages/finished.js';
import { encodeServerHello } from '../messages/server-hello.js';
import { VERIFY_SCHEMES } from '../signature-schemes.js';
import type { ServerData } from './handshake-data.js';
import type { AcceptedPsk } from './psk.js';

export interface FlightInput {
  readonly hello: ClientHello;
  readonly raw: Uint8Array;
  readonly suite: Tls13Suite;
  readonly group: KeyExchangeGroup;
  readonly clientShare: Uint8Array;
  readonly signatureSchemes: readonly number[];
  readonly alpn: string | undefined;
  readonly psk: AcceptedPsk | undefined;
  readonly earlyData: boolean;
  readonly sniReceived: boolean;
}

const encoder = new TextEncoder();

export function sendServerFlight(cx: Context, data: ServerData, f: FlightInput): void {
  const config = data.config;
  const { share, sharedSecret } = f.group.respond(cx.provider, f.clientShare);
  cx.clientRandom = f.hello.random;
  cx.negotiated.suite = f.suite;
  cx.negotiated.group = f.group;
  cx.negotiated.alpn = f.alpn;
  cx.negotiated.resumed = f.psk !== undefined;
  cx.transcript.start(f.suite.hash);
  cx.transcript.add(f.raw);
  const schedule = new KeySchedule(cx.provider, f.suite.hash, f.psk?.psk);
  cx.keySchedule = schedule;

  if (f.earlyData) {
    const chHash = cx.transcript.current();
    const early = schedule.derive('c e traffic', chHash);
    cx.log('CLIENT_EARLY_TRAFFIC_SECRET', early);
    cx.earlyExporterMasterSecret = schedule.derive('e exp master', chHash);
    cx.log('EARLY_EXPORTER_SECRET', cx.earlyExporterMasterSecret);
    cx.negotiated.earlyDataAccepted = true;
    cx.install('early', 'read', early);
  }

  // RFC 8448 §3 order: key_share, then supported_versions; pre_shared_key when resuming.
  const shExt: Extension[] = [
    {
      type: ExtensionType.key_share,
      data: encodeServerKeyShare({ group: f.group.id, keyExchange: share }),
    },
    { type: ExtensionType.supported_versions, data: encodeServerSupportedVersion(TLS13) },
  ];
  if (f.psk !== undefined)
    shExt.push({ type: ExtensionType.pre_shared_key, data: encodeSelectedIdentity(f.psk.index) });
  cx.send(
    'initial',
    encodeServerHello({
      legacyVersion: TLS12,
      random: cx.provider.randomBytes(32),
      legacySessionIdEcho: f.hello.legacySessionId,
      cipherSuite: f.suite.id,
      legacyCompressionMethod: 0,
      extensions: shExt,
    }),
  );

  schedule.inputHandshake(sharedSecret);
  const th = cx.transcript.current();
  data.clientHsSecret = schedule.derive('c hs traffic', th);
  data.serverHsSecret = schedule.derive('s hs traffic', th);
  cx.log('CLIENT_HANDSHAKE_TRAFFIC_SECRET', data.clientHsSecret);
  cx.log('SERVER_HANDSHAKE_TRAFFIC_SECRET', data.serverHsSecret);
  cx.install('handshake', 'write', data.serverHsSecret);
  // Over TCP the client's 0-RTT records come first, ended by EndOfEarlyData (§4.5).
  if (!(f.earlyData && !cx.quic)) cx.install('handshake', 'read', data.clientHsSecret);

  const ee: Extension[] = [];
  // RFC 6066 §3: acknowledge SNI with an empty server_name.
  if (f.sniReceived && cx.negotiated.serverName !== undefined)
    ee.push({ type: ExtensionType.server_name, data: new Uint8Array(0) });
  if (f.alpn !== undefined)
    ee.push({
      type: ExtensionType.application_layer_protocol_negotiation,
      data: encodeAlpn([encoder.encode(f.alpn)]),
    });
  if (f.earlyData) ee.push({ type: ExtensionType.early_data, data: new Uint8Array(0) });
  if (cx.quic && config.quicTransportParameters !== undefined) {
    ee.push({
      type: ExtensionType.quic_transport_parameters,
      data: config.quicTransportParameters,
    });
  }
  cx.send('handshake', encodeEncryptedExtensions(ee));

  if (f.psk === undefined) {
    if (config.requestClientCertificate) {
      data.certificateRequested = true;
      cx.send(
        'handshake',
        encodeCertificateRequest({
          context: new Uint8Array(0),
          extensions: [
            {
              type: ExtensionType.signature_algorithms,
              data: encodeSignatureAlgorithms(VERIFY_SCHEMES),
            },
          ],
        }),
      );
    }
    cx.send('handshake', certificateMessage(new Uint8Array(0), config.certificateChain));
    cx.send('handshake', certificateVerifyMessage(cx, config.privateKey, f.signatureSchemes, true));
  }
  cx.send(
    'handshake',
    encodeFinished(schedule.verifyData(data.serverHsSecret, cx.transcript.current())),
  );
  deriveApplicationSecrets(cx);
  cx.install('application', 'write', cx.serverAppSecret!);
}
