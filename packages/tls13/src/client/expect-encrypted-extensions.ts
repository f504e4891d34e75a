/** RFC 8446 §4.3.1: EncryptedExtensions (ALPN, SNI ack, early_data, QUIC transport parameters). */
import { tlsError } from '../alerts.js';
import type { Context, State } from '../context.js';
import { decodeEncryptedExtensions } from '../messages/encrypted-extensions.js';
import { decodeAlpn } from '../messages/extensions/alpn.js';
import { expectEmpty } from '../messages/extensions/misc.js';
import { ExtensionType } from '../messages/extensions/types.js';
import { type HandshakeMessage, HandshakeType } from '../messages/handshake-type.js';
import { ExpectCertificate } from './expect-certificate.js';
import { ExpectFinished } from './expect-finished.js';
import type { ClientData } from './handshake-data.js';

/** Extensions that belong to other messages: recognised, so illegal_parameter in EE (§4.2). */
const NOT_IN_EE = new Set<number>([
  ExtensionType.key_share,
  ExtensionType.pre_shared_key,
  ExtensionType.supported_versions,
  ExtensionType.psk_key_exchange_modes,
  ExtensionType.cookie,
  ExtensionType.signature_algorithms,
  ExtensionType.signature_algorithms_cert,
  ExtensionType.certificate_authorities,
  ExtensionType.post_handshake_auth,
]);

const decoder = new TextDecoder();

export class ExpectEncryptedExtensions implements State {
  readonly name = 'ExpectEncryptedExtensions';
  readonly #data: ClientData;

  constructor(data: ClientData) {
    this.#data = data;
  }

  handle(cx: Context, msg: HandshakeMessage): State {
    if (msg.type !== HandshakeType.encrypted_extensions) {
      throw tlsError(
        'unexpected_message',
        `expected EncryptedExtensions, got handshake type ${msg.type}`,
      );
    }
    const data = this.#data;
    const extensions = decodeEncryptedExtensions(msg.body);
    let earlyAccepted = false;
    for (const e of extensions) {
      if (NOT_IN_EE.has(e.type))
        throw tlsError(
          'illegal_parameter',
          `extension ${e.type} is not allowed in EncryptedExtensions`,
        );
      if (!data.offeredExtensions.has(e.type))
        throw tlsError('unsupported_extension', `server sent extension ${e.type} we did not offer`);
      switch (e.type) {
        case ExtensionType.server_name:
          expectEmpty(e.data, 'server_name');
          break;
        case ExtensionType.application_layer_protocol_negotiation: {
          const list = decodeAlpn(e.data);
          // RFC 7301 §3.1: exactly one protocol, one we offered.
          if (list.length !== 1)
            throw tlsError('illegal_parameter', 'server ALPN must name exactly one protocol');
          const name = decoder.decode(list[0]!);
          if (!data.alpn.includes(name))
            throw tlsError('illegal_parameter', `server chose ALPN "${name}" we did not offer`);
          cx.negotiated.alpn = name;
          break;
        }
        case ExtensionType.early_data:
          expectEmpty(e.data, 'early_data');
          if (!data.earlyDataOffered)
            throw tlsError('unsupported_extension', 'early_data accepted but not offered');
          earlyAccepted = true;
          break;
        case ExtensionType.quic_transport_parameters:
          cx.negotiated.peerTransportParameters = e.data.slice();
          break;
        default:
          break;
      }
    }
    // RFC 9001 §8.2: a QUIC server must send its transport parameters.
    if (cx.quic && cx.negotiated.peerTransportParameters === undefined) {
      throw tlsError('missing_extension', 'server sent no quic_transport_parameters');
    }
    cx.transcript.add(msg.raw);
    if (data.earlyDataOffered) {
      cx.negotiated.earlyDataAccepted = earlyAccepted;
      cx.events.earlyData?.(earlyAccepted);
    }
    return cx.negotiated.resumed ? new ExpectFinished(data) : new ExpectCertificate(data);
  }
}
