/**
 * RFC 8446 §4.1.2: the server reads a ClientHello, chooses suite, group, ALPN
 * and PSK, and either asks for another ClientHello (HelloRetryRequest, §4.1.4)
 * or sends its whole flight (server-flight.ts).
 */
import { equalBytes } from '@x/wire';
import { tlsError } from '../alerts.js';
import type { Context, State } from '../context.js';
import { type ClientHello, decodeClientHello } from '../messages/client-hello.js';
import { decodeAlpn } from '../messages/extensions/alpn.js';
import { decodeClientKeyShare, encodeHrrKeyShare } from '../messages/extensions/key-share.js';
import { decodeCookie, encodeCookie } from '../messages/extensions/misc.js';
import {
  decodeOfferedPsks,
  decodePskModes,
  type OfferedPsks,
  PskKeyExchangeMode,
} from '../messages/extensions/psk.js';
import { decodeServerName } from '../messages/extensions/server-name.js';
import { decodeSignatureAlgorithms } from '../messages/extensions/signature-algorithms.js';
import { decodeSupportedGroups } from '../messages/extensions/supported-groups.js';
import {
  decodeClientSupportedVersions,
  encodeServerSupportedVersion,
  TLS12,
  TLS13,
} from '../messages/extensions/supported-versions.js';
import { type Extension, ExtensionType, findExtension } from '../messages/extensions/types.js';
import { type HandshakeMessage, HandshakeType } from '../messages/handshake-type.js';
import { encodeServerHello, HELLO_RETRY_REQUEST_RANDOM } from '../messages/server-hello.js';
import { NO_CONTEXT } from '../tickets.js';
import type { ServerData } from './handshake-data.js';
import { nextAfterFlight } from './next.js';
import { type AcceptedPsk, checkPsk, MAX_TICKET_AGE_SKEW } from './psk.js';
import { selectAlpn, selectGroup, selectSuite } from './select.js';
import { sendServerFlight } from './server-flight.js';

const decoder = new TextDecoder();

export interface ClientHelloInfo {
  readonly hello: ClientHello;
  readonly raw: Uint8Array;
  readonly signatureSchemes: readonly number[];
  readonly alpn: string | undefined;
}

export class ExpectClientHello implements State {
  readonly name = 'ExpectClientHello';
  readonly #data: ServerData;

  constructor(data: ServerData) {
    this.#data = data;
  }

  handle(cx: Context, msg: HandshakeMessage, now: number): State {
    if (msg.type !== HandshakeType.client_hello) {
      throw tlsError('unexpected_message', `expected ClientHello, got handshake type ${msg.type}`);
    }
    const data = this.#data;
    const config = data.config;
    const ch = decodeClientHello(msg.body);
    cx.events.clientHello?.(ch);
    const ext = ch.extensions;
    const get = (type: number) => findExtension(ext, type);

    const sv = get(ExtensionType.supported_versions);
    // §4.2.1: without supported_versions the client wants TLS 1.2 or older, which we do not speak.
    if (sv === undefined || !decodeClientSupportedVersions(sv).includes(TLS13)) {
      throw tlsError('protocol_version', 'client does not offer TLS 1.3');
    }
    // RFC 9001 §8.4: no middlebox compatibility in QUIC, so a session id is a protocol violation.
    if (cx.quic && ch.legacySessionId.length > 0)
      throw tlsError('illegal_parameter', 'QUIC ClientHello with a legacy_session_id');
    // §4.1.2: legacy_compression_methods must be exactly one zero byte.
    if (ch.legacyCompressionMethods.length !== 1 || ch.legacyCompressionMethods[0] !== 0) {
      throw tlsError('illegal_parameter', 'legacy_compression_methods is not [null]');
    }
    const pskIndex = ext.findIndex((e) => e.type === ExtensionType.pre_shared_key);
    // §4.2.11: pre_shared_key must be the last extension.
    if (pskIndex >= 0 && pskIndex !== ext.length - 1)
      throw tlsError('illegal_parameter', 'pre_shared_key is not the last extension');

    const sniData = get(ExtensionType.server_name);
    if (sniData !== undefined) cx.negotiated.serverName = decodeServerName(sniData);

    const saData = get(ExtensionType.signature_algorithms);
    const signatureSchemes = saData === undefined ? [] : decodeSignatureAlgorithms(saData);
    const groupsData = get(ExtensionType.supported_groups);
    const ksData = get(ExtensionType.key_share);
    const supportedGroups = groupsData === undefined ? [] : decodeSupportedGroups(groupsData);
    const shares = ksData === undefined ? [] : decodeClientKeyShare(ksData);
    let offeredPsks: OfferedPsks | undefined;
    if (pskIndex >= 0) {
      offeredPsks = decodeOfferedPsks(ext[pskIndex]!.data);
      // §4.2.9: a PSK offer needs psk_key_exchange_modes.
      if (get(ExtensionType.psk_key_exchange_modes) === undefined)
        throw tlsError('missing_extension', 'pre_shared_key without psk_key_exchange_modes');
    }
    const modes = get(ExtensionType.psk_key_exchange_modes);
    const dheModeOffered =
      modes !== undefined && decodePskModes(modes).includes(PskKeyExchangeMode.psk_dhe_ke);
    // §9.2: without a PSK, a certificate handshake needs these.
    if (groupsData === undefined || ksData === undefined)
      throw tlsError('missing_extension', 'ClientHello lacks supported_groups or key_share');
    if (saData === undefined && offeredPsks === undefined)
      throw tlsError('missing_extension', 'ClientHello lacks signature_algorithms');

    let alpn: string | undefined;
    const alpnData = get(ExtensionType.application_layer_protocol_negotiation);
    const offeredAlpn =
      alpnData === undefined ? undefined : decodeAlpn(alpnData).map((p) => decoder.decode(p));
    const ourAlpn = config.alpnProtocols ?? [];
    if (offeredAlpn !== undefined && ourAlpn.length > 0) alpn = selectAlpn(ourAlpn, offeredAlpn);
    else if (cx.quic && ourAlpn.length > 0) {
      // RFC 9001 §8.1: QUIC requires ALPN.
      throw tlsError('no_application_protocol', 'QUIC client offered no ALPN');
    }
    const tp = get(ExtensionType.quic_transport_parameters);
    if (cx.quic) {
      if (tp === undefined)
        throw tlsError('missing_extension', 'client sent no quic_transport_parameters');
      cx.negotiated.peerTransportParameters = tp.slice();
    }

    const retry = data.retry;
    let suite = selectSuite(data.suites, ch.cipherSuites);
    let { group, share } = selectGroup(data.groups, supportedGroups, shares);
    if (retry !== undefined) {
      // §4.1.4: the second ClientHello must answer the HelloRetryRequest.
      if (!ch.cipherSuites.includes(retry.suite.id))
        throw tlsError('illegal_parameter', 'second ClientHello dropped the chosen cipher suite');
      suite = retry.suite;
      if (retry.group !== undefined) {
        if (shares.length !== 1 || shares[0]!.group !== retry.group.id) {
          throw tlsError(
            'illegal_parameter',
            'second ClientHello does not carry exactly the requested key share',
          );
        }
        group = retry.group;
        share = shares[0];
      }
      const cookie = get(ExtensionType.cookie);
      if (
        retry.cookie !== undefined &&
        (cookie === undefined || !equalBytes(decodeCookie(cookie), retry.cookie))
      ) {
        throw tlsError('illegal_parameter', 'second ClientHello does not echo our cookie');
      }
      if (get(ExtensionType.early_data) !== undefined)
        throw tlsError('illegal_parameter', 'early_data after HelloRetryRequest');
    } else if (share === undefined || config.alwaysHelloRetry) {
      if (get(ExtensionType.early_data) !== undefined) cx.events.earlyData?.(false);
      return this.#helloRetry(cx, ch, msg, suite, share === undefined ? group : undefined);
    }
    if (share === undefined) throw tlsError('illegal_parameter', 'no usable key share');

    let psk: AcceptedPsk | undefined;
    if (offeredPsks !== undefined && dheModeOffered && config.tickets !== undefined) {
      psk = checkPsk(cx, data, offeredPsks, msg.raw, suite, alpn, now);
      if (psk !== undefined) suite = psk.suite;
    }
    const earlyRequested = get(ExtensionType.early_data) !== undefined;
    const earlyData =
      psk !== undefined &&
      earlyRequested &&
      psk.index === 0 &&
      psk.maxEarlyData > 0 &&
      (config.maxEarlyData ?? 0) > 0 &&
      retry === undefined &&
      psk.alpn === (alpn ?? '') &&
      equalBytes(psk.earlyDataContext, config.earlyDataContext ?? NO_CONTEXT) &&
      psk.ageSkew <= MAX_TICKET_AGE_SKEW;
    if (earlyRequested && !earlyData) cx.events.earlyData?.(false);
    sendServerFlight(cx, data, {
      hello: ch,
      raw: msg.raw,
      suite,
      group,
      clientShare: share.keyExchange,
      signatureSchemes,
      alpn,
      psk,
      earlyData,
      sniReceived: sniData !== undefined,
    });
    return nextAfterFlight(cx, data);
  }

  #helloRetry(
    cx: Context,
    ch: ClientHello,
    msg: HandshakeMessage,
    suite: ServerData['suites'][number],
    group: ServerData['groups'][number] | undefined,
  ): State {
    const data = this.#data;
    const cookie = data.config.alwaysHelloRetry ? cx.provider.randomBytes(32) : undefined;
    const ext: Extension[] = [
      { type: ExtensionType.supported_versions, data: encodeServerSupportedVersion(TLS13) },
    ];
    if (group !== undefined)
      ext.unshift({ type: ExtensionType.key_share, data: encodeHrrKeyShare(group.id) });
    if (cookie !== undefined) ext.push({ type: ExtensionType.cookie, data: encodeCookie(cookie) });
    const hrr = encodeServerHello({
      legacyVersion: TLS12,
      random: HELLO_RETRY_REQUEST_RANDOM,
      legacySessionIdEcho: ch.legacySessionId,
      cipherSuite: suite.id,
      legacyCompressionMethod: 0,
      extensions: ext,
    });
    cx.negotiated.helloRetry = true;
    cx.transcript.add(msg.raw);
    cx.transcript.replaceWithMessageHash(suite.hash);
    cx.send('initial', hrr);
    data.retry = { suite, group, cookie };
    return new ExpectClientHello(data);
  }
}
