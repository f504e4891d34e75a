/** Key log files, qlog (JSON-SEQ) files and the packet trace for quic-echo. */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Appends NSS key log lines (SSLKEYLOGFILE format) to a file, as Wireshark reads them. */
export function keyLogFile(path: string | undefined): ((line: string) => void) | undefined {
  if (path === undefined) return undefined;
  return (line) => appendFileSync(path, `${line}\n`);
}

const RS = '\u001e';

/**
 * One qlog file (draft-ietf-quic-qlog-main-schema, JSON-SEQ: RFC 7464 records)
 * per connection in `dir`, loadable by qvis.
 */
export function qlogWriter(
  dir: string | undefined,
  role: 'client' | 'server',
): (() => (event: Record<string, unknown>) => void) | undefined {
  if (dir === undefined) return undefined;
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return () => {
    const file = join(dir, `${role}-${process.pid}-${++n}.sqlog`);
    const start = performance.now();
    writeFileSync(
      file,
      `${RS}${JSON.stringify({
        qlog_version: '0.3',
        qlog_format: 'JSON-SEQ',
        title: `quic-echo ${role}`,
        trace: {
          vantage_point: { type: role },
          common_fields: { time_format: 'relative', reference_time: Date.now() },
        },
      })}\n`,
    );
    return (event) => {
      const time = typeof event.time === 'number' ? event.time - start : 0;
      appendFileSync(file, `${RS}${JSON.stringify({ ...event, time })}\n`);
    };
  };
}

export function tracer(enabled: boolean, label: string): ((line: string) => void) | undefined {
  return enabled ? (line) => process.stdout.write(`[${label}] ${line}\n`) : undefined;
}
