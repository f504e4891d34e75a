/** Shared set-up for the SimNetwork tests: one DtlsServer and one client on a seeded virtual network. */
import { addressKey, SimNetwork, type TraceEvent } from '@x/wire';
import { DtlsClientEndpoint } from '../src/client-endpoint.js';
import type { DtlsOptions } from '../src/config.js';
import { DtlsServer, type DtlsServerOptions, type DtlsSession } from '../src/dtls-server.js';
import { CLIENT_ADDR, makeCertificate, SERVER_ADDR } from './fixtures.js';

export const serverCert = makeCertificate('P-256');
export const clientCert = makeCertificate('P-256');
export const C = addressKey(CLIENT_ADDR);
export const S = addressKey(SERVER_ADDR);

export function setup(
  seed: number,
  client: DtlsOptions = {},
  server: Partial<DtlsServerOptions> = {},
  links?: (net: SimNetwork) => void,
) {
  const net = new SimNetwork({ seed, trace: true, defaults: { delayMs: 10 } });
  // Link conditions first: adding an endpoint already sends its first flight.
  links?.(net);
  const srv = new DtlsServer({
    certificate: serverCert,
    requestClientCertificate: true,
    ...server,
  });
  const sessions: DtlsSession[] = [];
  srv.onSession((s) => sessions.push(s));
  const cli = new DtlsClientEndpoint(SERVER_ADDR, { certificate: clientCert, ...client });
  net.addEndpoint(srv, SERVER_ADDR);
  net.addEndpoint(cli, CLIENT_ADDR);
  return { net, srv, cli, sessions };
}

export const sendTimes = (trace: readonly TraceEvent[], from: string) =>
  trace.filter((e) => e.kind === 'send' && e.from === from).map((e) => e.t);
