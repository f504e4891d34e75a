/**
 * The client's first move (RFC 8446 §4.1.2): build and send the ClientHello,
 * with a PSK binder (§4.2.11.2) and 0-RTT keys when resuming.
 */
import { HASH_LENGTH } from '@x/crypto';
import type { ClientConfig } from '../config.js';
import { resolveGroups, resolveSuites } from '../config.js';
import type { Context, State } from '../context.js';
import { KeySchedule } from '../key-schedule.js';
import { type ClientHello, encodeClientHello } from '../messages/client-hello.js';
import { encodeAlpn } from '../messages/extensions/alpn.js';
import { encodeClientKeyShare } from '../messages/extensions/key-share.js';
import { encodeCookie } from '../messages/extensions/misc.js';
import {
  bindersLength,
  encodeOfferedPsks,
  encodePskModes,
  PskKeyExchangeMode,
} from '../messages/extensions/psk.js';
import { encodeServerName } from '../messages/extensions/server-name.js';
import { encodeSignatureAlgorithms } from '../messages/extensions/signature-algorithms.js';
import { encodeSupportedGroups } from '../messages/extensions/supported-groups.js';
import {
  encodeClientSupportedVersions,
  TLS12,
  TLS13,
} from '../messages/extensions/supported-versions.js';
import { type Extension, ExtensionType } from '../messages/extensions/types.js';
import { CERT_SCHEMES, VERIFY_SCHEMES } from '../signature-schemes.js';
import { ExpectServerHello } from './expect-server-hello.js';
import type { ClientData } from './handshake-data.js';
import { resolveGroupsForShares } from './key-shares.js';

const IP_LITERAL = /^[\d.]+$|:/;
const encoder = new TextEncoder();

export function clientData(config: ClientConfig): ClientData {
  const serverName = config.serverName;
  return {
    config,
    suites: resolveSuites(config.cipherSuites),
    groups: resolveGroups(config.groups),
    alpn: config.alpnProtocols ?? [],
    sni: serverName !== undefined && !IP_LITERAL.test(serverName) ? serverName : undefined,
    legacySessionId: new Uint8Array(0),
    keyExchanges: [],
    offeredExtensions: new Set(),
    offeredPsk: undefined,
    earlyDataOffered: false,
    hrrSuite: undefined,
    cookie: undefined,
  };
}

/** Sends ClientHello1 and returns the state that waits for the ServerHello. */
export function startClient(cx: Context, data: ClientData, now: number): State {
  const config = data.config;
  cx.clientRandom = cx.provider.randomBytes(32);
  const compat = !cx.quic && (config.middleboxCompatibility ?? true);
  data.legacySessionId = compat ? cx.provider.randomBytes(32) : new Uint8Array(0);
  data.keyExchanges = resolveGroupsForShares(config, data.groups).map((g) => g.start(cx.provider));
  sendClientHello(cx, data, now, false);
  return new ExpectServerHello(data);
}

/** Builds, binds and sends a ClientHello (the first, or the second after a HelloRetryRequest). */
export function sendClientHello(cx: Context, data: ClientData, now: number, retry: boolean): void {
  const config = data.config;
  const ext: Extension[] = [];
  if (data.sni !== undefined)
    ext.push({ type: ExtensionType.server_name, data: encodeServerName(data.sni) });
  ext.push({
    type: ExtensionType.supported_groups,
    data: encodeSupportedGroups(data.groups.map((g) => g.id)),
  });
  ext.push({
    type: ExtensionType.signature_algorithms,
    data: encodeSignatureAlgorithms(VERIFY_SCHEMES),
  });
  ext.push({
    type: ExtensionType.signature_algorithms_cert,
    data: encodeSignatureAlgorithms(CERT_SCHEMES),
  });
  if (data.alpn.length > 0) {
    ext.push({
      type: ExtensionType.application_layer_protocol_negotiation,
      data: encodeAlpn(data.alpn.map((a) => encoder.encode(a))),
    });
  }
  ext.push({
    type: ExtensionType.key_share,
    data: encodeClientKeyShare(
      data.keyExchanges.map((k) => ({ group: k.group, keyExchange: k.publicKey })),
    ),
  });
  ext.push({
    type: ExtensionType.supported_versions,
    data: encodeClientSupportedVersions([TLS13]),
  });
  if (data.cookie !== undefined)
    ext.push({ type: ExtensionType.cookie, data: encodeCookie(data.cookie) });
  if (config.quicTransportParameters !== undefined) {
    ext.push({
      type: ExtensionType.quic_transport_parameters,
      data: config.quicTransportParameters,
    });
  }

  // §4.2.11: offer the ticket only with a suite of the same hash we still accept, within its lifetime.
  const session = config.session;
  const pskUsable =
    session !== undefined &&
    now - session.receivedAt <= session.lifetime * 1000 &&
    data.suites.some((s) => s.id === session.suite) &&
    (data.hrrSuite === undefined ||
      data.hrrSuite.hash === data.suites.find((s) => s.id === session.suite)!.hash);
  if (pskUsable) {
    ext.push({
      type: ExtensionType.psk_key_exchange_modes,
      data: encodePskModes([PskKeyExchangeMode.psk_dhe_ke]),
    });
    // §4.2.10: no early data after a HelloRetryRequest.
    if (config.earlyData && !retry && session.maxEarlyData > 0) {
      ext.push({ type: ExtensionType.early_data, data: new Uint8Array(0) });
      data.earlyDataOffered = true;
    }
  } else {
    data.earlyDataOffered = false;
  }

  let hello: ClientHello = {
    legacyVersion: TLS12,
    random: cx.clientRandom,
    legacySessionId: data.legacySessionId,
    cipherSuites: data.suites.map((s) => s.id),
    legacyCompressionMethods: Uint8Array.of(0),
    extensions: ext,
  };
  if (!retry && config.customizeClientHello) hello = config.customizeClientHello(hello);

  if (pskUsable) {
    const suite = data.suites.find((s) => s.id === session.suite)!;
    const hashLen = HASH_LENGTH[suite.hash];
    // §4.2.11.1: obfuscated_ticket_age = (age in ms + ticket_age_add) mod 2^32.
    const age = (Math.max(0, Math.floor(now - session.receivedAt)) + session.ticketAgeAdd) >>> 0;
    const pskExt = encodeOfferedPsks({
      identities: [{ identity: session.ticket, obfuscatedTicketAge: age }],
      binders: [new Uint8Array(hashLen)],
    });
    // pre_shared_key MUST be the last extension (§4.2.11).
    hello = {
      ...hello,
      extensions: [...hello.extensions, { type: ExtensionType.pre_shared_key, data: pskExt }],
    };
    const raw = encodeClientHello(hello);
    const truncated = raw.subarray(0, raw.length - bindersLength([hashLen]));
    const schedule = new KeySchedule(cx.provider, suite.hash, session.psk);
    const binderKey = schedule.binderKey(false);
    const hash = retry
      ? cx.transcript.hashWith(truncated)
      : cx.provider.hash(suite.hash, truncated);
    raw.set(schedule.verifyData(binderKey, hash), raw.length - hashLen);
    data.offeredPsk = session;
    finishSend(cx, data, hello, raw);
    if (data.earlyDataOffered) {
      // §7.1: client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic", ClientHello).
      const chHash = cx.provider.hash(suite.hash, raw);
      cx.negotiated.suite = suite;
      const early = schedule.derive('c e traffic', chHash);
      cx.log('CLIENT_EARLY_TRAFFIC_SECRET', early);
      const earlyExporter = schedule.derive('e exp master', chHash);
      cx.earlyExporterMasterSecret = earlyExporter;
      cx.log('EARLY_EXPORTER_SECRET', earlyExporter);
      cx.install('early', 'write', early);
    }
    return;
  }
  data.offeredPsk = undefined;
  finishSend(cx, data, hello, encodeClientHello(hello));
}

function finishSend(cx: Context, data: ClientData, hello: ClientHello, raw: Uint8Array): void {
  data.offeredExtensions = new Set(hello.extensions.map((e) => e.type));
  cx.clientRandom = hello.random;
  cx.send('initial', raw);
}
