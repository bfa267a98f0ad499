/**
 * Which `seq` values a topic has delivered, in bounded memory: a bitmap of the newest
 * `size` sequence numbers below the highest seen. A repeat inside the window is a
 * duplicate. A seq further behind than the window cannot be told apart from a new message
 * and is accepted (nothing valid is lost; a broker redelivers within seconds, far inside it).
 */
export class SeqWindow {
  private max = -1;
  private readonly bits: Uint32Array;

  constructor(private readonly size = 4096) {
    if (size % 32 !== 0) throw new Error('SeqWindow size must be a multiple of 32');
    this.bits = new Uint32Array(size / 32);
  }

  /** Records seq; returns false when it was already seen (a duplicate). */
  add(seq: number): boolean {
    if (seq > this.max) {
      // Clear the bits of the numbers the window slides past (they now stand for new seqs).
      const from = Math.max(this.max + 1, seq - this.size + 1);
      if (seq - this.max >= this.size) this.bits.fill(0);
      else for (let s = from; s <= seq; s++) this.clear(s);
      this.max = seq;
      this.set(seq);
      return true;
    }
    if (seq <= this.max - this.size) return true;
    if (this.has(seq)) return false;
    this.set(seq);
    return true;
  }

  private slot(seq: number): [number, number] {
    const i = seq % this.size;
    return [i >>> 5, 1 << (i & 31)];
  }
  private has(seq: number): boolean {
    const [w, m] = this.slot(seq);
    return (this.bits[w]! & m) !== 0;
  }
  private set(seq: number): void {
    const [w, m] = this.slot(seq);
    this.bits[w]! |= m;
  }
  private clear(seq: number): void {
    const [w, m] = this.slot(seq);
    this.bits[w]! &= ~m;
  }
}
