/** Something `npm start` runs (src/cli/start.ts): it says what it offers and knows how to stop. */
export interface Service {
  readonly name: string;
  /** Lines to show the user once everything has started (the URL to open, the broker's address). */
  readonly lines: readonly string[];
  /** Stops it and frees what it holds (ports, connections); safe to call twice. */
  stop(): Promise<void>;
}
