/** The layout a worker-side source reads against, from the text the page opened; an invalid one is bad configuration (an exception). */
import { LayoutIndex } from '../layout/LayoutIndex';
import { parseLayoutText } from '../layout/parseLayout';

export function layoutFromText(text: string): LayoutIndex {
  const r = parseLayoutText(text);
  if (!r.ok) throw new Error(`the layout is not valid: ${r.problems.slice(0, 5).map((p) => `${p.path}: ${p.reason}`).join('; ')}`);
  return new LayoutIndex(r.layout);
}
