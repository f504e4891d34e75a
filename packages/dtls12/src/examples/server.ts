/**
 * DTLS 1.2 echo server example:
 *   node dist/examples/server.js --host 127.0.0.1 --port 4444 [--cert c.pem --key k.pem] [--ciphers ...]
 *     [--curves ...] [--srtp-profiles ...] [--mtu 1200] [--keylog keys.txt] [--fingerprint AB:CD:...]
 * For each client prints "negotiated ..." and "exporter ..." when its handshake completes, then echoes
 * its application data. A failed handshake prints the alert.
 */
import { alertName } from '../errors.js';
import { createServer } from '../node.js';
import { parseExampleArgs } from './cli-options.js';
import { reportLines } from './report.js';

async function main(): Promise<void> {
  const args = parseExampleArgs(process.argv.slice(2), 'server');
  const srv = await createServer(
    { ...args.options, host: args.host, port: args.port },
    (session) => {
      const c = session.connection;
      c.on('connected', () => {
        for (const line of reportLines(c)) console.log(line);
      });
      c.on('data', (d) => {
        // Inside the driver's receive: the reply is drained with this datagram's answers.
        c.send(d);
      });
      c.on('error', (e) =>
        console.log(`handshake failed: alert ${alertName(e.alert)} (${e.alert}): ${e.message}`),
      );
      c.on('close', () => console.log('closed'));
    },
  );
  console.log(`listening ${srv.local.address}:${srv.local.port}`);
  const stop = (): void => {
    void srv.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
