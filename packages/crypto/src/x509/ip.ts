/**
 * IP address text <-> bytes. Certificates carry iPAddress SANs as 4 or 16
 * octets (RFC 5280 §4.2.1.6) and hostname checks compare those bytes, so the
 * parser is strict: dotted-quad IPv4 without leading zeros (which some
 * resolvers read as octal) and RFC 4291 §2.2 IPv6 text, optionally in brackets.
 */

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] | undefined => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const words: number[] = [];
  const all = [...head, ...(halves.length === 2 ? ['::'] : []), ...tail];
  for (let i = 0; i < all.length; i++) {
    const g = all[i]!;
    if (g === '::') {
      words.push(-1);
    } else if (i === all.length - 1 && g.includes('.')) {
      // RFC 4291 §2.2 form 3: a trailing embedded IPv4 address.
      const v4 = parseIpv4(g);
      if (!v4) return undefined;
      words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) {
      words.push(Number.parseInt(g, 16));
    } else {
      return undefined;
    }
  }
  const gap = words.indexOf(-1);
  const count = words.length - (gap >= 0 ? 1 : 0);
  if (gap >= 0 ? count > 7 : count !== 8) return undefined;
  const full =
    gap >= 0
      ? [...words.slice(0, gap), ...new Array<number>(8 - count).fill(0), ...words.slice(gap + 1)]
      : words;
  const out = new Uint8Array(16);
  full.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** 4 bytes for IPv4, 16 for IPv6, undefined when the text is not an IP literal. */
export function parseIpAddress(text: string): Uint8Array | undefined {
  const t = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (t.includes(':')) return parseIpv6(t);
  return parseIpv4(t);
}

/** Dotted quad, or RFC 5952 canonical IPv6 text (lower case, longest zero run as ::). */
export function formatIpAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16)
    throw new RangeError(`an IP address is 4 or 16 bytes, not ${bytes.length}`);
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i]! << 8) | bytes[i + 1]!);
  // RFC 5952 §4.2: compress the longest run of two or more zero words (first on a tie).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (ws: number[]): string => ws.map((w) => w.toString(16)).join(':');
  if (best < 0) return hex(words);
  return `${hex(words.slice(0, best))}::${hex(words.slice(best + bestLen))}`;
}
