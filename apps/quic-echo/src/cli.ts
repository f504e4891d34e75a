#!/usr/bin/env node
/** quic-echo: a QUIC echo server and client (ALPN quic-echo-example) on @x/quic. */
import { parseArgs, USAGE } from './args.js';
import { runClient } from './client.js';
import { runServer } from './server.js';

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.flags.has('help') || args.command === undefined) {
    console.log(USAGE);
    return args.command === undefined && !args.flags.has('help') ? 2 : 0;
  }
  if (args.command === 'server') {
    await runServer(args);
    return -1; // keeps running
  }
  if (args.command === 'client') return runClient(args);
  console.error(USAGE);
  return 2;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    console.error(`quic-echo: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
