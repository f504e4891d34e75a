/** RFC 8446 §4.3.2 / §4.4.2: an optional CertificateRequest, then the server's Certificate. */
import { tlsError } from '../alerts.js';
import type { Context, State } from '../context.js';
import { decodeCertificate } from '../messages/certificate.js';
import { decodeCertificateRequest } from '../messages/certificate-request.js';
import { decodeSignatureAlgorithms } from '../messages/extensions/signature-algorithms.js';
import { ExtensionType, findExtension } from '../messages/extensions/types.js';
import { type HandshakeMessage, HandshakeType } from '../messages/handshake-type.js';
import { parseChain, verifyPeerChain } from '../verify-peer.js';
import { ExpectCertificateVerify } from './expect-certificate-verify.js';
import type { ClientData } from './handshake-data.js';

export class ExpectCertificate implements State {
  readonly name = 'ExpectCertificate';
  readonly #data: ClientData;
  /** Signature schemes from a CertificateRequest (server asked for our certificate). */
  #requestSchemes: number[] | undefined;

  constructor(data: ClientData) {
    this.#data = data;
  }

  handle(cx: Context, msg: HandshakeMessage, now: number): State {
    const data = this.#data;
    if (msg.type === HandshakeType.certificate_request && this.#requestSchemes === undefined) {
      const req = decodeCertificateRequest(msg.body);
      // §4.3.2: the context is empty during the handshake; signature_algorithms is required.
      if (req.context.length !== 0)
        throw tlsError(
          'illegal_parameter',
          'certificate_request_context must be empty in the handshake',
        );
      const sa = findExtension(req.extensions, ExtensionType.signature_algorithms);
      if (sa === undefined)
        throw tlsError('missing_extension', 'CertificateRequest without signature_algorithms');
      this.#requestSchemes = decodeSignatureAlgorithms(sa);
      data.certificateRequested = true;
      data.certificateRequestContext = req.context.slice();
      cx.transcript.add(msg.raw);
      data.requestSchemes = this.#requestSchemes;
      return this;
    }
    if (msg.type !== HandshakeType.certificate) {
      throw tlsError('unexpected_message', `expected Certificate, got handshake type ${msg.type}`);
    }
    const cert = decodeCertificate(msg.body);
    if (cert.context.length !== 0)
      throw tlsError('illegal_parameter', 'server Certificate with a request context');
    // §4.4.2.4: an empty server Certificate is decode_error.
    if (cert.entries.length === 0) throw tlsError('decode_error', 'server sent no certificate');
    const chain = parseChain(cert.entries);
    const config = data.config;
    verifyPeerChain(
      cx.provider,
      chain,
      {
        trustAnchors: config.trustAnchors,
        pinnedFingerprints: config.pinnedFingerprints,
        verifyPeer: config.verifyPeer,
        insecureSkipVerify: config.insecureSkipVerify,
        hostname: config.serverName,
        purpose: 'serverAuth',
      },
      now,
    );
    cx.negotiated.peerCertificates = chain;
    cx.negotiated.peerCertificateDer = cert.entries.map((e) => e.certData.slice());
    cx.transcript.add(msg.raw);
    return new ExpectCertificateVerify(data);
  }
}
