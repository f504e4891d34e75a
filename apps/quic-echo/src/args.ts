/** Command-line parsing for quic-echo: `--name value` pairs and bare `--flag`s. */
export interface ParsedArgs {
  readonly command: string | undefined;
  readonly values: Map<string, string>;
  readonly flags: Set<string>;
}

const FLAGS = new Set(['retry', 'trace', 'insecure', 'resume', 'help']);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      if (command === undefined) command = a;
      else throw new Error(`unexpected argument "${a}"`);
      continue;
    }
    const name = a.slice(2);
    if (FLAGS.has(name)) {
      flags.add(name);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    values.set(name, value);
    i++;
  }
  return { command, values, flags };
}

export const USAGE = `usage:
  quic-echo server [--host 127.0.0.1] [--port 4242] [--cert F --key F] [--retry]
                   [--keylog F] [--qlog DIR] [--trace]
  quic-echo client [--host 127.0.0.1] [--port 4242] [--message "Hello world"] [--streams N]
                   [--keylog F] [--qlog DIR] [--trace] [--insecure | --fingerprint AB:CD:..]
                   [--resume] [--session-file F]
ALPN is quic-echo-example. Without --cert the server makes a self-signed
certificate and prints its SHA-256 fingerprint for the client's --fingerprint.
--resume: after the echo, connect again with the server's session ticket
(a PSK handshake without certificates) and echo once more, in 0-RTT.
--session-file F: resume (and echo in 0-RTT) with the ticket saved in F by an
earlier run, if any; save the server's new ticket there (it holds a key: mode 0600).`;
