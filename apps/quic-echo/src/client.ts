import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  connect,
  decodeQuicSessionTicket,
  encodeQuicSessionTicket,
  type QuicSessionTicket,
  type QuicStream,
} from '@x/quic';
import { equalBytes } from '@x/wire';
import type { ParsedArgs } from './args.js';
import { keyLogFile, qlogWriter, tracer } from './observe.js';
import { ALPN } from './server.js';

async function echoOn(s: QuicStream, message: Uint8Array): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  const reading = (async () => {
    for await (const chunk of s) parts.push(chunk as Buffer);
  })();
  s.end(message);
  await reading;
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * Returns the process exit code: 0 only when every echo matched (and, with
 * --resume, the session resumed; its echo goes in 0-RTT when the ticket allows).
 */
export async function runClient(args: ParsedArgs): Promise<number> {
  const fingerprint = args.values.get('fingerprint');
  const insecure = args.flags.has('insecure');
  if (fingerprint === undefined && !insecure) {
    throw new Error(
      'give the server certificate --fingerprint (printed by the server) or --insecure',
    );
  }
  const streams = Number(args.values.get('streams') ?? 1);
  const text = args.values.get('message') ?? 'Hello world';
  const qlog = qlogWriter(args.values.get('qlog'), 'client');
  const trace = tracer(args.flags.has('trace'), 'client');
  const sessionFile = args.values.get('session-file');
  const encoder = new TextEncoder();
  const messages = Array.from({ length: streams }, (_, i) =>
    encoder.encode(streams === 1 ? text : `${text} #${i}`),
  );

  /** One connection: echoes every message, keeps the first session ticket. */
  const session = async (resume: QuicSessionTicket | undefined) => {
    const conn = await connect({
      host: args.values.get('host') ?? '127.0.0.1',
      port: Number(args.values.get('port') ?? 4242),
      serverName: 'localhost',
      alpnProtocols: [ALPN],
      pinnedFingerprints: fingerprint ? [fingerprint] : undefined,
      insecureSkipVerify: insecure,
      keyLog: keyLogFile(args.values.get('keylog')),
      qlog: qlog?.(),
      trace,
      session: resume,
      // The echo is safe to replay, so a resumed connection sends it in 0-RTT.
      earlyData: resume !== undefined,
    });
    let ticket: QuicSessionTicket | undefined;
    const gotTicket = new Promise<void>((resolve) =>
      conn.on('session-ticket', (t: QuicSessionTicket) => {
        trace?.(
          `session ticket: ${t.ticket.length} bytes, lifetime ${t.lifetime} s, ${t.maxEarlyData > 0 ? '0-RTT allowed' : 'no 0-RTT'}, alpn ${t.alpn}`,
        );
        ticket ??= t;
        resolve();
      }),
    );
    const echoes = await Promise.all(messages.map((m) => echoOn(conn.openStream(), m)));
    let ok = true;
    echoes.forEach((echo, i) => {
      const expected = messages[i]!;
      const same = equalBytes(echo, expected);
      ok &&= same;
      console.log(`${same ? 'echo' : 'MISMATCH'}: ${new TextDecoder().decode(echo)}`);
    });
    // The ticket follows the handshake; when it is wanted, give a slow one a moment.
    if ((resume === undefined && args.flags.has('resume')) || sessionFile !== undefined)
      await Promise.race([gotTicket, new Promise((r) => setTimeout(r, 1000).unref())]);
    const resumed = conn.connection.resumed;
    const early = conn.earlyDataAccepted;
    await conn.close(0, 'done');
    return { ok, ticket, resumed, early };
  };

  const stored = loadTicket(sessionFile);
  const first = await session(stored);
  if (stored !== undefined) report(first);
  if (sessionFile !== undefined && first.ticket !== undefined) {
    // A new file, renamed over the old: always mode 0600, never half-written.
    const tmp = `${sessionFile}.${process.pid}.tmp`;
    writeFileSync(tmp, encodeQuicSessionTicket(first.ticket), { mode: 0o600 });
    renameSync(tmp, sessionFile);
  }
  if (!args.flags.has('resume')) return first.ok ? 0 : 1;
  if (first.ticket === undefined) {
    console.log('resume: the server sent no session ticket');
    return 1;
  }
  const second = await session(first.ticket);
  report(second);
  return first.ok && second.ok && second.resumed ? 0 : 1;
}

function report(c: { resumed: boolean; early: boolean }): void {
  console.log(
    `resumed: ${c.resumed ? 'yes' : 'no'}, 0-RTT ${c.early ? 'accepted' : 'not accepted'}`,
  );
}

/** The ticket an earlier run saved, if the file holds one (a damaged file means a full handshake). */
function loadTicket(file: string | undefined): QuicSessionTicket | undefined {
  if (file === undefined || !existsSync(file)) return undefined;
  try {
    return decodeQuicSessionTicket(new Uint8Array(readFileSync(file)));
  } catch (e) {
    console.log(`session file ${file}: ${(e as Error).message}; full handshake`);
    return undefined;
  }
}
