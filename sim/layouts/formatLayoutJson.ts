/**
 * Writes layout JSON the way a person would lay it out: one line per slot, SKU, zone, door,
 * camera and the like, with the big lists (shelves, their slots) opened up. Diffs of a
 * regenerated file then show one line per changed part.
 */

/** Parts that fit this many characters (indent included) stay on one line. */
const MAX_LINE = 160;

/** A value holding a list of objects (a shelf's slots, the top-level lists) is always opened up. */
function holdsListOfObjects(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  const children = Array.isArray(v) ? v : Object.values(v);
  if (Array.isArray(v) && v.some((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) return true;
  return children.some(holdsListOfObjects);
}

/** One line: `{ "id": "a", "position": [1, 2] }`. */
function inline(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  const entries = Object.entries(v).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')} }`;
}

function format(v: unknown, indent: string): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const one = inline(v);
  if (!holdsListOfObjects(v) && indent.length + one.length <= MAX_LINE) return one;
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + format(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v).filter(([, x]) => x !== undefined);
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${format(x, inner)}`).join(',\n')}\n${indent}}`;
}

/** The file text for a layout (or any JSON value), ending in a newline. */
export function formatLayoutJson(value: unknown): string {
  return format(value, '') + '\n';
}
