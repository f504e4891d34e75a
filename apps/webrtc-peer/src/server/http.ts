/**
 * The signalling side: node:http serving the page, the WHIP-style endpoint
 * (RFC 9725 §4.2 shape: POST application/sdp → 201 Created + Location + the
 * answer; DELETE the Location to hang up) with CORS, and /stats as JSON.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { EndpointHandle } from '@x/wire';
import type { PeerEndpoint } from '../call/endpoint.js';
import { SdpError } from '../sdp/errors.js';
import { MAX_SDP_LENGTH } from '../sdp/lines.js';
import { PAGE_HTML } from './page.js';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'content-type, authorization',
  'access-control-expose-headers': 'location',
};

export interface SignallingOptions {
  readonly endpoint: PeerEndpoint;
  readonly udp: EndpointHandle;
  /** Stats of calls that ended (kept for /stats). */
  readonly closed: () => unknown[];
  readonly log?: (line: string) => void;
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { ...CORS, 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        resolve(undefined);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function createSignallingServer(o: SignallingOptions): Server {
  const { endpoint, udp } = o;
  return createServer((req, res) => {
    handle(req, res).catch((e) => {
      o.log?.(`http error: ${(e as Error).message}`);
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS, 'accept-post': 'application/sdp' });
      res.end();
      return;
    }
    if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
      return send(res, 200, PAGE_HTML, { 'content-type': 'text/html; charset=utf-8' });
    }
    if (req.method === 'GET' && path === '/stats') {
      const calls = [...endpoint.calls.values()].map((c) => ({
        id: c.id,
        state: c.state,
        ...c.stats,
      }));
      const cpu = process.cpuUsage();
      const body = JSON.stringify({
        endpoint: endpoint.stats,
        tables: endpoint.tableSizes,
        calls,
        closed: o.closed(),
        process: {
          cpuUserMs: cpu.user / 1000,
          cpuSystemMs: cpu.system / 1000,
          rssBytes: process.memoryUsage.rss(),
        },
      });
      return send(res, 200, body, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      });
    }
    if (path === '/whip' && req.method === 'POST') {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/sdp') return send(res, 415, 'Content-Type must be application/sdp');
      const body = await readBody(req, MAX_SDP_LENGTH);
      if (body === undefined) return send(res, 413, 'offer too large');
      try {
        const { call, answer } = endpoint.createCall(body, performance.now());
        udp.flush(); // arm the consent timer of the new call
        o.log?.(`call ${call.id} created`);
        return send(res, 201, answer, {
          'content-type': 'application/sdp',
          location: `/whip/${call.id}`,
          etag: `"${call.id}"`,
        });
      } catch (e) {
        if (!(e instanceof SdpError)) throw e;
        o.log?.(`offer refused: ${e.message}`);
        return send(res, 400, `bad offer (${e.kind}): ${e.message}`);
      }
    }
    const m = /^\/whip\/([0-9a-f]{1,64})$/.exec(path);
    if (m && req.method === 'DELETE') {
      if (!endpoint.hangUp(m[1]!)) return send(res, 404, 'no such call');
      udp.flush(); // sends close_notify
      o.log?.(`call ${m[1]} hung up`);
      return send(res, 200, 'hung up');
    }
    if (m && req.method === 'PATCH')
      return send(res, 405, 'trickle ICE is not supported (we are ICE-lite)');
    return send(res, path === '/whip' ? 405 : 404, 'not found');
  }
}
