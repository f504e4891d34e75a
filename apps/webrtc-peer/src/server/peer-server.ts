/** `webrtc-peer serve`: the UDP endpoint and the HTTP signalling server together. */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CryptoProvider,
  certificateFingerprint,
  createSelfSignedCertificate,
  defaultProvider,
} from '@x/crypto';
import { bindEndpoint, type EndpointHandle } from '@x/wire';
import { PeerEndpoint } from '../call/endpoint.js';
import type { ServerCall } from '../call/server-call.js';
import { Recorder } from '../record/recorder.js';
import { createSignallingServer } from './http.js';

export interface PeerServerOptions {
  readonly host?: string;
  readonly port?: number;
  readonly udpPort?: number;
  /** Directory for VP8 (IVF) and Opus (Ogg) recordings. */
  readonly record?: string;
  readonly trace?: (line: string) => void;
  readonly log?: (line: string) => void;
  readonly consentTimeoutMs?: number;
  /** Drop every Nth echoed video packet (demonstrates NACK/PLI relay and recovery). */
  readonly echoDropEvery?: number;
  readonly provider?: CryptoProvider;
}

export interface PeerServer {
  readonly url: string;
  readonly httpPort: number;
  readonly udp: EndpointHandle;
  readonly endpoint: PeerEndpoint;
  readonly http: Server;
  readonly fingerprint: string;
  close(): Promise<void>;
}

const MAX_CLOSED = 50;

export async function startPeerServer(o: PeerServerOptions = {}): Promise<PeerServer> {
  const provider = o.provider ?? defaultProvider;
  const host = o.host ?? '127.0.0.1';
  const now = Date.now();
  const cert = createSelfSignedCertificate(provider, {
    commonName: 'webrtc-peer',
    notBefore: now - 86_400_000,
    notAfter: now + 30 * 86_400_000,
  });
  const fingerprint = `sha-256 ${certificateFingerprint(provider, cert.der)}`;
  const closed: unknown[] = [];
  const recorder = o.record ? new Recorder(o.record) : undefined;
  const endpoint = new PeerEndpoint({
    certificate: { chain: [cert.der], privateKey: cert.privateKey },
    fingerprint,
    provider,
    consentTimeoutMs: o.consentTimeoutMs,
    echoDropEvery: o.echoDropEvery,
    trace: o.trace,
    onRtp: recorder ? (call, media, packet) => recorder.rtp(call.id, media, packet) : undefined,
    onCallClosed: (call: ServerCall, reason: string) => {
      closed.push({ id: call.id, state: call.state, reason, ...call.stats });
      if (closed.length > MAX_CLOSED) closed.shift();
      recorder?.close(call.id);
      o.log?.(`call ${call.id} closed: ${reason}`);
    },
  });
  const udp = await bindEndpoint(endpoint, { address: host, port: o.udpPort ?? 0 });
  // A wildcard bind cannot be a candidate address; announce loopback then.
  const candidate = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : udp.local.address;
  endpoint.setCandidates([{ address: candidate, port: udp.local.port }]);
  const http = createSignallingServer({ endpoint, udp, closed: () => closed, log: o.log });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(o.port ?? 8080, host, () => resolve());
  });
  const httpPort = (http.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${httpPort}/`,
    httpPort,
    udp,
    endpoint,
    http,
    fingerprint,
    async close() {
      endpoint.closeAll();
      udp.flush();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
      await udp.close();
      recorder?.closeAll();
    },
  };
}
