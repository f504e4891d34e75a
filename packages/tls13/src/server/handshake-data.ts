/** What the server states pass along. */
import type { Tls13Suite } from '@x/crypto';
import type { ServerConfig } from '../config.js';
import type { KeyExchangeGroup } from '../key-share/named-group.js';

export interface ServerData {
  readonly config: ServerConfig;
  readonly suites: readonly Tls13Suite[];
  readonly groups: readonly KeyExchangeGroup[];
  /** Set once a HelloRetryRequest went out: what the second ClientHello must match. */
  retry?: {
    readonly suite: Tls13Suite;
    readonly group: KeyExchangeGroup | undefined;
    readonly cookie: Uint8Array | undefined;
  };
  clientHsSecret?: Uint8Array;
  serverHsSecret?: Uint8Array;
  certificateRequested?: boolean;
}
