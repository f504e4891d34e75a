/** Creating a server engine over any record layer. */
import type { HandshakeRecordLayer } from '@x/crypto';
import { resolveGroups, resolveProvider, resolveSuites, type ServerConfig } from '../config.js';
import { Context, type EngineEvents } from '../context.js';
import { TlsEngine } from '../engine.js';
import { ExpectClientHello } from './expect-client-hello.js';

/** A server engine: it waits for a ClientHello. */
export class ServerEngine extends TlsEngine {
  readonly config: ServerConfig;

  constructor(
    config: ServerConfig,
    recordLayer: HandshakeRecordLayer,
    events: EngineEvents = {},
    options: { quic?: boolean } = {},
  ) {
    const cx = new Context({
      role: 'server',
      provider: resolveProvider(config),
      recordLayer,
      quic: options.quic ?? false,
      keyLog: config.keyLog,
      events,
    });
    super(
      cx,
      new ExpectClientHello({
        config,
        suites: resolveSuites(config.cipherSuites),
        groups: resolveGroups(config.groups),
      }),
    );
    this.config = config;
  }
}
