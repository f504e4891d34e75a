/** Creating a client engine over any record layer. */
import type { HandshakeRecordLayer } from '@x/crypto';
import { type ClientConfig, resolveProvider } from '../config.js';
import type { State } from '../context.js';
import { Context, type EngineEvents } from '../context.js';
import { TlsEngine } from '../engine.js';
import { clientData, startClient } from './hello.js';

class NotStarted implements State {
  readonly name = 'NotStarted';
  handle(): State {
    throw new Error('client not started');
  }
}

/** A client engine; call `start(now)` to send the ClientHello. */
export class ClientEngine extends TlsEngine {
  readonly config: ClientConfig;
  #started = false;

  constructor(
    config: ClientConfig,
    recordLayer: HandshakeRecordLayer,
    events: EngineEvents = {},
    options: { quic?: boolean } = {},
  ) {
    const cx = new Context({
      role: 'client',
      provider: resolveProvider(config),
      recordLayer,
      quic: options.quic ?? false,
      keyLog: config.keyLog,
      events,
    });
    super(cx, new NotStarted());
    this.config = config;
  }

  start(now: number): void {
    if (this.#started) return;
    this.#started = true;
    const data = clientData(this.config);
    this.advance((cx) => startClient(cx, data, now));
  }
}
