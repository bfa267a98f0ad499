/**
 * A first-in first-out queue of things due at a time, for a rule's timers: a rule that
 * waits a fixed delay after events taken in time order pushes them already sorted, so a
 * head index does what a heap would, without one allocation per pop.
 */
export class Fifo<T extends { readonly due: number }> {
  private items: T[] = [];
  private head = 0;

  push(x: T): void {
    this.items.push(x);
  }

  /** Takes every item due at or before `now`, oldest first. */
  takeDue(now: number, take: (x: T) => void): void {
    while (this.head < this.items.length && this.items[this.head]!.due <= now) take(this.items[this.head++]!);
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  get size(): number {
    return this.items.length - this.head;
  }
}
