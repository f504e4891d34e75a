/** RFC 8446 §4.4.2: the client's Certificate after our CertificateRequest (maybe empty). */
import { tlsError } from '../alerts.js';
import type { Context, State } from '../context.js';
import { decodeCertificate } from '../messages/certificate.js';
import { type HandshakeMessage, HandshakeType } from '../messages/handshake-type.js';
import { parseChain, verifyPeerChain } from '../verify-peer.js';
import { ExpectCertificateVerify } from './expect-certificate-verify.js';
import { ExpectFinished } from './expect-finished.js';
import type { ServerData } from './handshake-data.js';

export class ExpectCertificate implements State {
  readonly name = 'ExpectCertificate';
  readonly #data: ServerData;

  constructor(data: ServerData) {
    this.#data = data;
  }

  handle(cx: Context, msg: HandshakeMessage, now: number): State {
    if (msg.type !== HandshakeType.certificate) {
      throw tlsError('unexpected_message', `expected Certificate, got handshake type ${msg.type}`);
    }
    const data = this.#data;
    const cert = decodeCertificate(msg.body);
    if (cert.context.length !== 0)
      throw tlsError('illegal_parameter', 'certificate_request_context does not match');
    cx.transcript.add(msg.raw);
    if (cert.entries.length === 0) {
      // §4.4.2.4: the server may continue without client authentication, or abort with certificate_required.
      if (data.config.requestClientCertificate === 'require')
        throw tlsError('certificate_required', 'client sent no certificate');
      return new ExpectFinished(data);
    }
    const chain = parseChain(cert.entries);
    const config = data.config;
    verifyPeerChain(
      cx.provider,
      chain,
      {
        trustAnchors: config.trustAnchors,
        pinnedFingerprints: config.pinnedFingerprints,
        verifyPeer: config.verifyPeer,
        purpose: 'clientAuth',
      },
      now,
    );
    cx.negotiated.peerCertificates = chain;
    cx.negotiated.peerCertificateDer = cert.entries.map((e) => e.certData.slice());
    return new ExpectCertificateVerify(data);
  }
}
