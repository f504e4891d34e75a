import { DTLS1_2 } from '../../record/record.js';
import type { FlightMessage, HandshakeContext } from '../context.js';
import { encodeClientHello } from '../messages/client-hello.js';
import { ecPointFormatsExtension } from '../messages/extensions/ec-point-formats.js';
import { extendedMasterSecretExtension } from '../messages/extensions/extended-master-secret.js';
import { type Extension, ExtensionType } from '../messages/extensions/extension.js';
import { renegotiationInfoExtension } from '../messages/extensions/renegotiation-info.js';
import { signatureAlgorithmsExtension } from '../messages/extensions/signature-algorithms.js';
import { groupCode, supportedGroupsExtension } from '../messages/extensions/supported-groups.js';
import { useSrtpExtension } from '../messages/extensions/use-srtp.js';
import { HandshakeType } from '../messages/handshake-header.js';

/**
 * Client flight 1 (and flight 3, the same hello with the server's cookie):
 * ClientHello. RFC 6347 §4.2.1: the first ClientHello and the
 * HelloVerifyRequest stay out of the transcript, so the hello is recorded
 * only once the server answers with ServerHello (see client-flight5.ts).
 */
export function clientHelloFlight(ctx: HandshakeContext): {
  flight: FlightMessage[];
  encoded: Uint8Array;
} {
  const o = ctx.options;
  const extensions: Extension[] = [
    supportedGroupsExtension(o.groups.map(groupCode)),
    ecPointFormatsExtension(),
    signatureAlgorithmsExtension(o.signatureSchemes),
    extendedMasterSecretExtension(),
    renegotiationInfoExtension(),
  ];
  if (o.offerSessionTicket)
    extensions.push({ type: ExtensionType.session_ticket, data: new Uint8Array(0) });
  if (o.srtpProfiles.length > 0)
    extensions.push(useSrtpExtension({ profiles: o.srtpProfiles, mki: new Uint8Array(0) }));
  const body = encodeClientHello({
    clientVersion: DTLS1_2,
    random: ctx.clientRandom,
    sessionId: new Uint8Array(0),
    cookie: ctx.cookie,
    cipherSuites: o.cipherSuites,
    compressionMethods: Uint8Array.of(0),
    extensions,
  });
  const m = ctx.message(HandshakeType.client_hello, body, 0, false);
  return { flight: [m], encoded: body };
}
