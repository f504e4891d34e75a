/**
 * node:dgram bindings (through @x/wire's bindEndpoint): a one-shot Binding
 * request and a Binding server. Protocol logic stays in the sans-I/O cores.
 */
import type { CryptoProvider } from '@x/crypto';
import { bindEndpoint, type EndpointHandle, familyOf, type SocketAddress } from '@x/wire';
import { StunError } from './errors.js';
import { decodeXorAddress } from './message/attributes/address.js';
import { AttributeType } from './message/attributes/types.js';
import { findAttribute } from './message/lookup.js';
import type { DecodedStunMessage } from './message/message.js';
import { BindingServer, type BindingServerOptions } from './server/binding-server.js';
import { StunClient } from './transaction/client.js';
import type { RetransmissionOptions } from './transaction/transaction.js';

export interface BindingRequestOptions extends RetransmissionOptions {
  /** Local IP to bind (default the wildcard of the server's family). */
  readonly localAddress?: string;
  readonly localPort?: number;
  readonly software?: string;
  readonly provider?: CryptoProvider;
}

export interface BindingResult {
  /** The reflexive transport address from XOR-MAPPED-ADDRESS. */
  readonly mapped: SocketAddress;
  /** The local socket the request was sent from. */
  readonly local: SocketAddress;
  readonly rtt: number | undefined;
  readonly response: DecodedStunMessage;
}

/** Sends a Binding request to `server` and resolves with the mapped address; rejects with StunError. */
export async function bindingRequest(
  server: { readonly address: string; readonly port: number },
  options: BindingRequestOptions = {},
): Promise<BindingResult> {
  const family = familyOf(server.address);
  const remote: SocketAddress = { address: server.address, port: server.port, family };
  const client = new StunClient(options);
  let fail: (e: Error) => void = () => {};
  const handle = await bindEndpoint(client, {
    address: options.localAddress ?? (family === 'IPv6' ? '::' : '0.0.0.0'),
    port: options.localPort ?? 0,
    onError: (e, source) => {
      if (source !== 'send') fail(e);
    },
  });
  try {
    return await new Promise<BindingResult>((resolve, reject) => {
      fail = reject;
      client.request(remote, {
        onComplete: (outcome) => {
          if (outcome.kind === 'success') {
            const xor = findAttribute(outcome.response, AttributeType.XOR_MAPPED_ADDRESS);
            if (!xor) {
              reject(new StunError(0, 'Binding success response without XOR-MAPPED-ADDRESS'));
              return;
            }
            try {
              const mapped = decodeXorAddress(xor.value, outcome.response.transactionId);
              resolve({
                mapped,
                local: handle.local,
                rtt: outcome.rtt,
                response: outcome.response,
              });
            } catch (e) {
              reject(new StunError(0, `bad XOR-MAPPED-ADDRESS: ${(e as Error).message}`));
            }
          } else if (outcome.kind === 'error-response') {
            reject(new StunError(outcome.code, `error response ${outcome.code} ${outcome.reason}`));
          } else if (outcome.kind === 'failed') {
            reject(new StunError(0, `Binding failed: ${outcome.reason}`));
          } else {
            reject(new StunError(0, `Binding transaction ended: ${outcome.kind}`));
          }
        },
      });
      handle.flush();
    });
  } finally {
    await handle.close();
  }
}

/** Runs a BindingServer on a UDP socket; close the handle to stop it. */
export async function startBindingServer(
  options: BindingServerOptions & { readonly address: string; readonly port?: number },
): Promise<EndpointHandle & { readonly server: BindingServer }> {
  const server = new BindingServer(options);
  const handle = await bindEndpoint(server, { address: options.address, port: options.port ?? 0 });
  return Object.assign(handle, { server });
}
