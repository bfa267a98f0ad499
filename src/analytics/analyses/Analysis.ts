/**
 * A named analysis: a set of documented queries (sections) over the event store's tables,
 * each built from the same checked parameters, each with a suggested chart. The CLI prints
 * the sections; the workbench shows each as a chart and a table.
 */
import type { AnalysisParams } from './AnalysisParams';

/** How a section is best drawn: a mark with the columns on its axes (Observable Plot's vocabulary). */
export interface ChartSpec {
  readonly mark: 'barY' | 'barX' | 'line' | 'cell' | 'dot';
  readonly x: string;
  readonly y: string;
  /** Colour by this column. */
  readonly fill?: string;
}

export interface Section {
  /** `analysis.section`, e.g. `shrink.by_sku`. */
  readonly id: string;
  readonly title: string;
  /** What the rows mean, for the reader: one or two sentences. */
  readonly description: string;
  /** Which of the filters (zone, sku, shift, from/to) this section honours. */
  readonly filters: readonly ('range' | 'zone' | 'sku' | 'shift')[];
  readonly sql: (p: AnalysisParams) => string;
  readonly chart?: ChartSpec;
}

export interface Analysis {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly sections: readonly Section[];
}
