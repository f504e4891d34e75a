/**
 * srtp-tool: protect or unprotect RTP/RTCP packets given as hex, one per line.
 *
 *   node dist/examples/srtp-tool.js protect|unprotect --profile <name> --key <hex> --salt <hex> [--rtcp]
 *
 * Reads packets on stdin and writes each result as hex on stdout, or a line
 * `error <reason>` (auth, replay, too_old, malformed, ...) for a packet that
 * fails. One context serves all lines, so ROC, SRTCP index and the replay list
 * carry from line to line like a real session.
 */
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { fromHex, toHex } from '@x/wire';
import { SrtcpContext } from '../context/srtcp-context.js';
import { SrtpContext } from '../context/srtp-context.js';
import { SrtpError } from '../errors.js';

export const USAGE =
  'usage: srtp-tool protect|unprotect --profile <name> --key <hex> --salt <hex> [--rtcp]\n' +
  '  profiles: SRTP_AES128_CM_HMAC_SHA1_80, SRTP_AES128_CM_HMAC_SHA1_32,\n' +
  '            SRTP_AEAD_AES_128_GCM, SRTP_AEAD_AES_256_GCM (or their code points 1, 2, 7, 8)';

export interface SrtpToolOptions {
  readonly mode: 'protect' | 'unprotect';
  readonly profile: string | number;
  readonly key: Uint8Array;
  readonly salt: Uint8Array;
  readonly rtcp: boolean;
}

/** Parses the command line; throws an Error whose message is meant for the user. */
export function parseSrtpToolArgs(argv: readonly string[]): SrtpToolOptions {
  const [mode, ...rest] = argv;
  if (mode !== 'protect' && mode !== 'unprotect')
    throw new Error(`unknown mode ${mode ?? '(none)'}`);
  let profile: string | undefined;
  let key: string | undefined;
  let salt: string | undefined;
  let rtcp = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = () => {
      const v = rest[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--profile') profile = value();
    else if (a === '--key') key = value();
    else if (a === '--salt') salt = value();
    else if (a === '--rtcp') rtcp = true;
    else throw new Error(`unknown option ${a}`);
  }
  if (profile === undefined || key === undefined || salt === undefined) {
    throw new Error('--profile, --key and --salt are required');
  }
  const hex = (name: string, s: string) => {
    try {
      return fromHex(s);
    } catch {
      throw new Error(`${name} is not hex`);
    }
  };
  return {
    mode,
    profile: /^\d+$/.test(profile) ? Number(profile) : profile.toUpperCase(),
    key: hex('--key', key),
    salt: hex('--salt', salt),
    rtcp,
  };
}

/** One session: a function from an input line to the output line. */
export function createSrtpTool(o: SrtpToolOptions): (line: string) => string {
  const ctxOptions = { profile: o.profile, masterKey: o.key, masterSalt: o.salt };
  const ctx = o.rtcp ? new SrtcpContext(ctxOptions) : new SrtpContext(ctxOptions);
  const op = o.mode === 'protect' ? ctx.protect.bind(ctx) : ctx.unprotect.bind(ctx);
  return (line) => {
    let packet: Uint8Array;
    try {
      packet = fromHex(line.trim());
    } catch {
      return 'error malformed';
    }
    try {
      return toHex(op(packet));
    } catch (e) {
      if (e instanceof SrtpError) return `error ${e.reason}`;
      throw e;
    }
  };
}

/** Runs the tool over a stream of lines; returns the process exit code. */
export async function runSrtpTool(
  argv: readonly string[],
  input: NodeJS.ReadableStream,
  write: (s: string) => void,
  writeError: (s: string) => void,
): Promise<number> {
  let tool: (line: string) => string;
  try {
    tool = createSrtpTool(parseSrtpToolArgs(argv));
  } catch (e) {
    writeError(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() === '') continue;
    write(`${tool(line)}\n`);
  }
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runSrtpTool(
    process.argv.slice(2),
    process.stdin,
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
  ).then((code) => {
    process.exitCode = code;
  });
}
