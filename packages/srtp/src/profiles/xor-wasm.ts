/**
 * A 16-byte-lane XOR in WebAssembly SIMD for the AES-CM keystream. On Node 20
 * the best plain-JS XOR of a 1188-byte payload (Int32Array views) costs
 * ~0.45-0.65 µs; copying the payload into this module's memory, XORing it
 * with v128 lanes and copying it back costs ~0.1 µs. There is no allocation:
 * the module is compiled once and its memory holds one keystream batch and
 * one packet.
 *
 * The module, hand-assembled (no toolchain needed at build time):
 *
 *   (memory (export "m") 2)
 *   (func (export "x") (param $d i32) (param $a i32) (param $b i32) (param $n i32)
 *     (block (loop
 *       (br_if 1 (i32.le_s (local.get $n) (i32.const 0)))
 *       (v128.store (local.get $d)
 *         (v128.xor (v128.load (local.get $a)) (v128.load (local.get $b))))
 *       $d += 16; $a += 16; $b += 16; $n -= 16
 *       (br 0))))
 *
 * It processes whole 16-byte lanes, so it reads and writes up to 15 bytes past
 * n: callers leave that much room (see KS_LIMIT, PACKET_LIMIT).
 */
/** Hex bytes written one instruction group per line, to number[]. */
function bytes(groups: readonly string[]): number[] {
  return groups.flatMap((g) => g.split(' ').map((h) => Number.parseInt(h, 16)));
}

const BODY = bytes([
  '00', // no locals
  '02 40 03 40', // block, loop
  '20 03 41 00 4c 0d 01', // br_if 1 (n <= 0)
  '20 00 20 01 fd 00 00 00', // d, v128.load a
  '20 02 fd 00 00 00', // v128.load b
  'fd 51 fd 0b 00 00', // v128.xor, v128.store at d
  '20 00 41 10 6a 21 00', // d += 16
  '20 01 41 10 6a 21 01', // a += 16
  '20 02 41 10 6a 21 02', // b += 16
  '20 03 41 10 6b 21 03', // n -= 16
  '0c 00 0b 0b 0b', // br 0, end loop, end block, end function
]);
/** The module's sections (WebAssembly Core 1.0 §5.5 binary format, plus SIMD opcodes). */
const MAGIC_AND_VERSION = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
const TYPE_SECTION = [1, 8, 1, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 0]; // (i32 i32 i32 i32) -> ()
const FUNCTION_SECTION = [3, 2, 1, 0]; // function 0 has type 0
const MEMORY_SECTION = [5, 3, 1, 0, 2]; // 2 pages (128 KiB), no maximum
const EXPORT_SECTION = [7, 9, 2, 1, 0x6d, 2, 0, 1, 0x78, 0, 0]; // "m" memory 0, "x" function 0
const CODE_SECTION = [10, BODY.length + 2, 1, BODY.length, ...BODY];
const MODULE = [
  ...MAGIC_AND_VERSION,
  ...TYPE_SECTION,
  ...FUNCTION_SECTION,
  ...MEMORY_SECTION,
  ...EXPORT_SECTION,
  ...CODE_SECTION,
];

/** Where the keystream batch lives in the module's memory, and how much fits. */
export const KS_AT = 0;
export const KS_LIMIT = 65536 - 16;
/** Where a packet is copied to, and the longest packet that fits. */
export const PACKET_AT = 65536;
export const PACKET_LIMIT = 65536 - 16;

export interface WasmXor {
  /** The module's memory as bytes (never grows, so this view stays valid). */
  readonly memory: Uint8Array;
  /** memory[d..d+n) = memory[a..a+n) ^ memory[b..b+n), in 16-byte lanes. */
  readonly xor: (d: number, a: number, b: number, n: number) => void;
  /** Who owns the keystream region: the keystream whose batch is loaded there. */
  owner: object | null;
}

/** The slice of the WebAssembly JS API used here (this package compiles without the DOM lib). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

function instantiate(): WasmXor | null {
  try {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (api === undefined) return null;
    const instance = new api.Instance(new api.Module(Uint8Array.from(MODULE)));
    const m = instance.exports.m as { buffer: ArrayBuffer };
    const x = instance.exports.x as (d: number, a: number, b: number, n: number) => void;
    const memory = new Uint8Array(m.buffer);
    // Self-test once: a runtime without SIMD, or a mis-assembled module, falls back to JS.
    for (let i = 0; i < 48; i++) memory[i] = i * 29;
    x(PACKET_AT, 0, 16, 17);
    for (let i = 0; i < 17; i++)
      if (memory[PACKET_AT + i] !== (((i * 29) ^ ((i + 16) * 29)) & 0xff)) return null;
    return { memory, xor: x, owner: null };
  } catch {
    return null;
  }
}

let shared: WasmXor | null | undefined;

/**
 * The one shared instance (SRTP work is synchronous, so one scratch memory
 * serves every session), or null where WebAssembly SIMD is unavailable.
 */
export function wasmXor(): WasmXor | null {
  if (shared === undefined) shared = instantiate();
  return shared;
}
