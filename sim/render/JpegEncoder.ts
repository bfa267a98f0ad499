/**
 * A baseline JPEG encoder (JFIF, 4:2:0, the standard Huffman tables of ITU T.81 Annex K),
 * for the simulator's frames. jpeg-js encodes the same format, but rebuilds its tables on
 * every call (about 40 ms) and grows a plain array byte by byte; here the tables are built
 * once per quality and the output goes to a reused typed buffer, which makes a 320 px frame
 * several times cheaper (bench/frames.bench.ts). jpeg-js still decodes in tests and the shelf CNN's training set; the vision pipeline decodes with mozjpeg's wasm (src/inference/wasmJpeg.ts).
 * Deterministic: same pixels and quality, same bytes.
 */

/** Zigzag position to natural (row-major) index in an 8x8 block. */
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/** Annex K.1 quantisation tables, natural order. */
const LUMA_Q = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_Q = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
  ...new Array<number>(32).fill(99),
];

/** Annex K.3 Huffman tables: code counts by length 1..16, then the symbols. */
const DC_LUMA = { bits: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], vals: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
const DC_CHROMA = { bits: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], vals: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
/** The AC tables list, after a few irregular first symbols, every (run, size) pair in a fixed order. */
const AC_LUMA = {
  bits: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
  vals: [
    1, 2, 3, 0, 4, 17, 5, 18, 33, 49, 65, 6, 19, 81, 97, 7, 34, 113, 20, 50, 129, 145, 161, 8, 35, 66, 177, 193, 21, 82, 209, 240, 36, 51, 98, 114,
    130, 9, 10, 22, 23, 24, 25, 26, 37, 38, 39, 40, 41, 42, 52, 53, 54, 55, 56, 57, 58, 67, 68, 69, 70, 71, 72, 73, 74, 83, 84, 85, 86, 87, 88, 89,
    90, 99, 100, 101, 102, 103, 104, 105, 106, 115, 116, 117, 118, 119, 120, 121, 122, 131, 132, 133, 134, 135, 136, 137, 138, 146, 147, 148, 149,
    150, 151, 152, 153, 154, 162, 163, 164, 165, 166, 167, 168, 169, 170, 178, 179, 180, 181, 182, 183, 184, 185, 186, 194, 195, 196, 197, 198,
    199, 200, 201, 202, 210, 211, 212, 213, 214, 215, 216, 217, 218, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 241, 242, 243, 244, 245,
    246, 247, 248, 249, 250,
  ],
};
const AC_CHROMA = {
  bits: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
  vals: [
    0, 1, 2, 3, 17, 4, 5, 33, 49, 6, 18, 65, 81, 7, 97, 113, 19, 34, 50, 129, 8, 20, 66, 145, 161, 177, 193, 9, 35, 51, 82, 240, 21, 98, 114, 209,
    10, 22, 36, 52, 225, 37, 241, 23, 24, 25, 26, 38, 39, 40, 41, 42, 53, 54, 55, 56, 57, 58, 67, 68, 69, 70, 71, 72, 73, 74, 83, 84, 85, 86, 87,
    88, 89, 90, 99, 100, 101, 102, 103, 104, 105, 106, 115, 116, 117, 118, 119, 120, 121, 122, 130, 131, 132, 133, 134, 135, 136, 137, 138, 146,
    147, 148, 149, 150, 151, 152, 153, 154, 162, 163, 164, 165, 166, 167, 168, 169, 170, 178, 179, 180, 181, 182, 183, 184, 185, 186, 194, 195,
    196, 197, 198, 199, 200, 201, 202, 210, 211, 212, 213, 214, 215, 216, 217, 218, 226, 227, 228, 229, 230, 231, 232, 233, 234, 242, 243, 244,
    245, 246, 247, 248, 249, 250,
  ],
};

interface HuffTable {
  readonly bits: readonly number[];
  readonly vals: readonly number[];
}
/** Symbol to code and code length. */
interface HuffCodes {
  readonly code: Uint16Array;
  readonly size: Uint8Array;
}

function huffCodes(t: HuffTable): HuffCodes {
  const code = new Uint16Array(256);
  const size = new Uint8Array(256);
  let c = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < t.bits[len - 1]!; i++) {
      code[t.vals[k]!] = c++;
      size[t.vals[k]!] = len;
      k++;
    }
    c <<= 1;
  }
  return { code, size };
}

/** IJG quality scaling of a base table. */
function scaledTable(base: readonly number[], quality: number): Uint8Array {
  const q = Math.max(1, Math.min(100, Math.round(quality)));
  const scale = q < 50 ? 5000 / q : 200 - 2 * q;
  return Uint8Array.from(base, (v) => Math.max(1, Math.min(255, Math.floor((v * scale + 50) / 100))));
}

/** AAN scale factors of the float DCT, per row or column. */
const AASF = [1.0, 1.387039845, 1.306562965, 1.175875602, 1.0, 0.785694958, 0.5411961, 0.275899379];

/** Divisors folding the DCT's scaling into quantisation, natural order. */
function divisors(table: Uint8Array): Float32Array {
  const out = new Float32Array(64);
  for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) out[r * 8 + c] = 1 / (table[r * 8 + c]! * AASF[r]! * AASF[c]! * 8);
  return out;
}

const HT_DC_LUMA = huffCodes(DC_LUMA);
const HT_AC_LUMA = huffCodes(AC_LUMA);
const HT_DC_CHROMA = huffCodes(DC_CHROMA);
const HT_AC_CHROMA = huffCodes(AC_CHROMA);

export class JpegEncoder {
  private readonly lumaQ: Uint8Array;
  private readonly chromaQ: Uint8Array;
  private readonly lumaDiv: Float32Array;
  private readonly chromaDiv: Float32Array;
  private out = new Uint8Array(1 << 16);
  private pos = 0;
  private bitBuf = 0;
  private bitCnt = 0;
  private readonly block = new Float32Array(64);
  private readonly coef = new Int32Array(64);

  constructor(readonly quality = 75) {
    this.lumaQ = scaledTable(LUMA_Q, quality);
    this.chromaQ = scaledTable(CHROMA_Q, quality);
    this.lumaDiv = divisors(this.lumaQ);
    this.chromaDiv = divisors(this.chromaQ);
  }

  /** RGBA bytes (4 a pixel, alpha ignored) to a JPEG. */
  encode(rgba: Uint8Array, width: number, height: number): Uint8Array {
    if (rgba.length < width * height * 4) throw new Error(`${rgba.length} bytes is not ${width} x ${height} RGBA`);
    this.pos = 0;
    this.bitBuf = 0;
    this.bitCnt = 0;
    this.headers(width, height);
    let dcY = 0, dcU = 0, dcV = 0;
    const b = this.block;
    const cb = new Float32Array(64);
    const cr = new Float32Array(64);
    for (let my = 0; my < height; my += 16) {
      for (let mx = 0; mx < width; mx += 16) {
        cb.fill(0);
        cr.fill(0);
        // Four luma blocks, and the chroma of the 16x16 area averaged 2x2 (edges repeat the last pixel).
        for (let by = 0; by < 2; by++) {
          for (let bx = 0; bx < 2; bx++) {
            for (let y = 0; y < 8; y++) {
              const py = Math.min(height - 1, my + by * 8 + y);
              for (let x = 0; x < 8; x++) {
                const px = Math.min(width - 1, mx + bx * 8 + x);
                const i = (py * width + px) * 4;
                const r = rgba[i]!, g = rgba[i + 1]!, bl = rgba[i + 2]!;
                b[y * 8 + x] = 0.299 * r + 0.587 * g + 0.114 * bl - 128;
                const k = ((by * 8 + y) >> 1) * 8 + ((bx * 8 + x) >> 1);
                cb[k] = cb[k]! + (-0.168736 * r - 0.331264 * g + 0.5 * bl) / 4;
                cr[k] = cr[k]! + (0.5 * r - 0.418688 * g - 0.081312 * bl) / 4;
              }
            }
            dcY = this.block8(b, this.lumaDiv, dcY, HT_DC_LUMA, HT_AC_LUMA);
          }
        }
        b.set(cb);
        dcU = this.block8(b, this.chromaDiv, dcU, HT_DC_CHROMA, HT_AC_CHROMA);
        b.set(cr);
        dcV = this.block8(b, this.chromaDiv, dcV, HT_DC_CHROMA, HT_AC_CHROMA);
      }
    }
    // Pad the last byte with ones, then End Of Image.
    if (this.bitCnt > 0) this.bits(0x7f, 7);
    this.bitCnt = 0;
    this.word(0xffd9);
    return this.out.slice(0, this.pos);
  }

  /** DCT, quantise and entropy-code one 8x8 block; returns its DC for the next block's difference. */
  private block8(d: Float32Array, div: Float32Array, prevDc: number, dcT: HuffCodes, acT: HuffCodes): number {
    fdct(d);
    const q = this.coef;
    for (let k = 0; k < 64; k++) {
      const n = ZIGZAG[k]!;
      q[k] = Math.round(d[n]! * div[n]!);
    }
    const diff = q[0]! - prevDc;
    if (diff === 0) this.bits(dcT.code[0]!, dcT.size[0]!);
    else {
      const cat = category(diff);
      this.bits(dcT.code[cat]!, dcT.size[cat]!);
      this.bits(diff < 0 ? diff + (1 << cat) - 1 : diff, cat);
    }
    let last = 63;
    while (last > 0 && q[last] === 0) last--;
    let run = 0;
    for (let k = 1; k <= last; k++) {
      const v = q[k]!;
      if (v === 0) {
        run++;
        continue;
      }
      while (run >= 16) {
        this.bits(acT.code[0xf0]!, acT.size[0xf0]!);
        run -= 16;
      }
      const cat = category(v);
      const sym = (run << 4) | cat;
      this.bits(acT.code[sym]!, acT.size[sym]!);
      this.bits(v < 0 ? v + (1 << cat) - 1 : v, cat);
      run = 0;
    }
    if (last < 63) this.bits(acT.code[0]!, acT.size[0]!);
    return q[0]!;
  }

  /** Appends `n` bits of `value` to the entropy-coded data, stuffing a zero after each 0xFF. */
  private bits(value: number, n: number): void {
    this.bitBuf = (this.bitBuf << n) | (value & ((1 << n) - 1));
    this.bitCnt += n;
    while (this.bitCnt >= 8) {
      const byte = (this.bitBuf >>> (this.bitCnt - 8)) & 0xff;
      this.byte(byte);
      if (byte === 0xff) this.byte(0);
      this.bitCnt -= 8;
    }
    this.bitBuf &= (1 << this.bitCnt) - 1;
  }

  private byte(v: number): void {
    if (this.pos >= this.out.length) {
      const grown = new Uint8Array(this.out.length * 2);
      grown.set(this.out);
      this.out = grown;
    }
    this.out[this.pos++] = v;
  }

  private word(v: number): void {
    this.byte(v >> 8);
    this.byte(v & 0xff);
  }

  private headers(width: number, height: number): void {
    this.word(0xffd8);
    // APP0 JFIF 1.1, no density units, no thumbnail.
    this.word(0xffe0);
    this.word(16);
    for (const c of [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0]) this.byte(c);
    this.word(1);
    this.word(1);
    this.byte(0);
    this.byte(0);
    this.word(0xffdb);
    this.word(2 + 2 * 65);
    for (const [id, t] of [[0, this.lumaQ], [1, this.chromaQ]] as const) {
      this.byte(id);
      for (let k = 0; k < 64; k++) this.byte(t[ZIGZAG[k]!]!);
    }
    // SOF0: 8-bit, 3 components; Y sampled 2x2, Cb and Cr 1x1 (4:2:0).
    this.word(0xffc0);
    this.word(17);
    this.byte(8);
    this.word(height);
    this.word(width);
    this.byte(3);
    for (const [id, sampling, table] of [[1, 0x22, 0], [2, 0x11, 1], [3, 0x11, 1]]) {
      this.byte(id!);
      this.byte(sampling!);
      this.byte(table!);
    }
    const tables: [number, HuffTable][] = [[0x00, DC_LUMA], [0x10, AC_LUMA], [0x01, DC_CHROMA], [0x11, AC_CHROMA]];
    this.word(0xffc4);
    this.word(2 + tables.reduce((a, [, t]) => a + 17 + t.vals.length, 0));
    for (const [cls, t] of tables) {
      this.byte(cls);
      for (const n of t.bits) this.byte(n);
      for (const v of t.vals) this.byte(v);
    }
    this.word(0xffda);
    this.word(12);
    this.byte(3);
    for (const [id, tables2] of [[1, 0x00], [2, 0x11], [3, 0x11]]) {
      this.byte(id!);
      this.byte(tables2!);
    }
    this.byte(0);
    this.byte(63);
    this.byte(0);
  }
}

/** Bits needed for |v| (the JPEG magnitude category), v != 0. */
function category(v: number): number {
  return 32 - Math.clz32(v < 0 ? -v : v);
}

/** In-place float AAN forward DCT of an 8x8 block (rows, then columns); output scaled as AASF says. */
function fdct(d: Float32Array): void {
  for (let pass = 0; pass < 2; pass++) {
    const step = pass === 0 ? 1 : 8;
    const stride = pass === 0 ? 8 : 1;
    for (let i = 0; i < 8; i++) {
      const o = i * stride;
      const d0 = d[o]!, d1 = d[o + step]!, d2 = d[o + 2 * step]!, d3 = d[o + 3 * step]!;
      const d4 = d[o + 4 * step]!, d5 = d[o + 5 * step]!, d6 = d[o + 6 * step]!, d7 = d[o + 7 * step]!;
      const t0 = d0 + d7, t7 = d0 - d7, t1 = d1 + d6, t6 = d1 - d6;
      const t2 = d2 + d5, t5 = d2 - d5, t3 = d3 + d4, t4 = d3 - d4;
      let t10 = t0 + t3;
      const t13 = t0 - t3;
      let t11 = t1 + t2;
      let t12 = t1 - t2;
      d[o] = t10 + t11;
      d[o + 4 * step] = t10 - t11;
      const z1 = (t12 + t13) * 0.707106781;
      d[o + 2 * step] = t13 + z1;
      d[o + 6 * step] = t13 - z1;
      t10 = t4 + t5;
      t11 = t5 + t6;
      t12 = t6 + t7;
      const z5 = (t10 - t12) * 0.382683433;
      const z2 = 0.5411961 * t10 + z5;
      const z4 = 1.306562965 * t12 + z5;
      const z3 = t11 * 0.707106781;
      const z11 = t7 + z3;
      const z13 = t7 - z3;
      d[o + 5 * step] = z13 + z2;
      d[o + 3 * step] = z13 - z2;
      d[o + step] = z11 + z4;
      d[o + 7 * step] = z11 - z4;
    }
  }
}
