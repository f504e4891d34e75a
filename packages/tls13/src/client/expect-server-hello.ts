/** RFC 8446 §4.1.3/§4.1.4: the client waits for ServerHello or HelloRetryRequest. */
import { equalBytes } from '@x/wire';
import { tlsError } from '../alerts.js';
import type { Context, State } from '../context.js';
import { KeySchedule } from '../key-schedule.js';
import { getGroup } from '../key-share/named-group.js';
import { decodeHrrKeyShare, decodeServerKeyShare } from '../messages/extensions/key-share.js';
import { decodeCookie } from '../messages/extensions/misc.js';
import { decodeSelectedIdentity } from '../messages/extensions/psk.js';
import {
  decodeServerSupportedVersion,
  TLS12,
  TLS13,
} from '../messages/extensions/supported-versions.js';
import { ExtensionType, findExtension } from '../messages/extensions/types.js';
import { type HandshakeMessage, HandshakeType } from '../messages/handshake-type.js';
import {
  decodeServerHello,
  isHelloRetryRequest,
  type ServerHello,
} from '../messages/server-hello.js';
import { ExpectEncryptedExtensions } from './expect-encrypted-extensions.js';
import type { ClientData } from './handshake-data.js';
import { sendClientHello } from './hello.js';

const SH_EXTENSIONS = new Set<number>([
  ExtensionType.key_share,
  ExtensionType.pre_shared_key,
  ExtensionType.supported_versions,
]);
const HRR_EXTENSIONS = new Set<number>([
  ExtensionType.key_share,
  ExtensionType.cookie,
  ExtensionType.supported_versions,
]);

export class ExpectServerHello implements State {
  readonly name = 'ExpectServerHello';
  readonly #data: ClientData;

  constructor(data: ClientData) {
    this.#data = data;
  }

  handle(cx: Context, msg: HandshakeMessage, now: number): State {
    if (msg.type !== HandshakeType.server_hello) {
      throw tlsError('unexpected_message', `expected ServerHello, got handshake type ${msg.type}`);
    }
    const data = this.#data;
    const sh = decodeServerHello(msg.body);
    const hrr = isHelloRetryRequest(sh);
    const allowed = hrr ? HRR_EXTENSIONS : SH_EXTENSIONS;
    for (const e of sh.extensions) {
      // §4.1.3/§4.2: only extensions we offered, and only those allowed in this message.
      if (!data.offeredExtensions.has(e.type) && e.type !== ExtensionType.cookie) {
        throw tlsError('unsupported_extension', `server sent extension ${e.type} we did not offer`);
      }
      if (!allowed.has(e.type))
        throw tlsError(
          'illegal_parameter',
          `extension ${e.type} is not allowed in ${hrr ? 'HelloRetryRequest' : 'ServerHello'}`,
        );
    }
    const sv = findExtension(sh.extensions, ExtensionType.supported_versions);
    if (sv === undefined) {
      // Only TLS 1.3 is offered; a server without supported_versions negotiated an older version.
      throw tlsError('protocol_version', 'server did not select TLS 1.3');
    }
    if (decodeServerSupportedVersion(sv) !== TLS13)
      throw tlsError('illegal_parameter', 'server selected a version other than TLS 1.3');
    if (sh.legacyVersion !== TLS12)
      throw tlsError('protocol_version', 'ServerHello legacy_version is not 0x0303');
    if (!equalBytes(sh.legacySessionIdEcho, data.legacySessionId)) {
      throw tlsError('illegal_parameter', 'legacy_session_id_echo does not match');
    }
    if (sh.legacyCompressionMethod !== 0)
      throw tlsError('illegal_parameter', 'legacy_compression_method is not 0');
    const suite = data.suites.find((s) => s.id === sh.cipherSuite);
    if (suite === undefined)
      throw tlsError(
        'illegal_parameter',
        `server chose cipher suite 0x${sh.cipherSuite.toString(16)} we did not offer`,
      );
    if (data.hrrSuite !== undefined && data.hrrSuite !== suite) {
      throw tlsError(
        'illegal_parameter',
        'ServerHello cipher suite differs from the HelloRetryRequest',
      );
    }
    return hrr ? this.#helloRetry(cx, sh, msg, suite, now) : this.#serverHello(cx, sh, msg, suite);
  }

  #helloRetry(
    cx: Context,
    hrr: ServerHello,
    msg: HandshakeMessage,
    suite: ClientData['suites'][number],
    now: number,
  ): State {
    const data = this.#data;
    // §4.1.4: a second HelloRetryRequest is unexpected_message.
    if (data.hrrSuite !== undefined)
      throw tlsError('unexpected_message', 'second HelloRetryRequest');
    const ks = findExtension(hrr.extensions, ExtensionType.key_share);
    const cookie = findExtension(hrr.extensions, ExtensionType.cookie);
    if (ks === undefined && cookie === undefined) {
      throw tlsError('illegal_parameter', 'HelloRetryRequest would not change the ClientHello');
    }
    if (ks !== undefined) {
      const selected = decodeHrrKeyShare(ks);
      const group = data.groups.find((g) => g.id === selected);
      // §4.2.8: the group must be supported and not one we already sent a share for.
      if (group === undefined || getGroup(selected) === undefined)
        throw tlsError(
          'illegal_parameter',
          `HelloRetryRequest selected group ${selected} we do not support`,
        );
      if (data.keyExchanges.some((k) => k.group === selected)) {
        throw tlsError(
          'illegal_parameter',
          'HelloRetryRequest selected a group we already sent a share for',
        );
      }
      data.keyExchanges = [group.start(cx.provider)];
    }
    data.cookie = cookie === undefined ? undefined : decodeCookie(cookie);
    data.hrrSuite = suite;
    cx.negotiated.helloRetry = true;
    // A 0-RTT attempt is abandoned (§4.2.10); the early keys stop with it.
    if (data.earlyDataOffered) cx.events.earlyData?.(false);
    data.earlyDataOffered = false;
    cx.transcript.replaceWithMessageHash(suite.hash);
    cx.transcript.add(msg.raw);
    sendClientHello(cx, data, now, true);
    return new ExpectServerHello(data);
  }

  #serverHello(
    cx: Context,
    sh: ServerHello,
    msg: HandshakeMessage,
    suite: ClientData['suites'][number],
  ): State {
    const data = this.#data;
    const ksData = findExtension(sh.extensions, ExtensionType.key_share);
    // We only offer psk_dhe_ke, so a key share is always required.
    if (ksData === undefined) throw tlsError('missing_extension', 'ServerHello has no key_share');
    const share = decodeServerKeyShare(ksData);
    const exchange = data.keyExchanges.find((k) => k.group === share.group);
    if (exchange === undefined)
      throw tlsError(
        'illegal_parameter',
        `server key share for group ${share.group} we did not send`,
      );
    const shared = exchange.complete(share.keyExchange);

    let psk: Uint8Array | undefined;
    const pskData = findExtension(sh.extensions, ExtensionType.pre_shared_key);
    if (pskData !== undefined) {
      const index = decodeSelectedIdentity(pskData);
      const offered = data.offeredPsk;
      if (offered === undefined || index !== 0)
        throw tlsError(
          'illegal_parameter',
          `server selected PSK identity ${index} we did not offer`,
        );
      const offeredSuite = data.suites.find((s) => s.id === offered.suite);
      if (offeredSuite === undefined || offeredSuite.hash !== suite.hash) {
        throw tlsError('illegal_parameter', 'server resumed with a cipher suite of another hash');
      }
      psk = offered.psk;
      cx.negotiated.resumed = true;
    }
    cx.negotiated.suite = suite;
    cx.negotiated.group = getGroup(share.group);
    cx.transcript.start(suite.hash);
    cx.transcript.add(msg.raw);
    const schedule = new KeySchedule(cx.provider, suite.hash, psk);
    cx.keySchedule = schedule;
    schedule.inputHandshake(shared);
    const th = cx.transcript.current();
    data.clientHsSecret = schedule.derive('c hs traffic', th);
    data.serverHsSecret = schedule.derive('s hs traffic', th);
    cx.log('CLIENT_HANDSHAKE_TRAFFIC_SECRET', data.clientHsSecret);
    cx.log('SERVER_HANDSHAKE_TRAFFIC_SECRET', data.serverHsSecret);
    cx.install('handshake', 'read', data.serverHsSecret);
    // Over TCP with 0-RTT in flight our early keys stay until EndOfEarlyData (§4.5).
    if (!(data.earlyDataOffered && !cx.quic)) cx.install('handshake', 'write', data.clientHsSecret);
    return new ExpectEncryptedExtensions(data);
  }
}
