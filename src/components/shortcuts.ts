/**
 * The workbench's keyboard shortcuts: one table, read by the key handler and by the help
 * overlay, so what the help says is what the keys do. Keys typed into a field (a form, the
 * SQL box) are the field's, never a shortcut.
 */

export type Command =
  | 'play-pause'
  | 'step-back'
  | 'step-forward'
  | 'go-live'
  | 'toggle-side'
  | 'toggle-bottom'
  | 'tab-source'
  | 'tab-inspector'
  | 'tab-incidents'
  | 'tab-devices'
  | 'tab-quarantine'
  | 'tab-layout'
  | 'tab-plan'
  | 'tab-roi'
  | 'frame-room'
  | 'toggle-theme'
  | 'clear-selection'
  | 'find'
  | 'help';

export interface Shortcut {
  /** KeyboardEvent.key values that trigger it (case as typed). */
  readonly keys: readonly string[];
  /** What the help shows for the keys. */
  readonly label: string;
  readonly command: Command;
  readonly does: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: [' ', 'k'], label: 'Space / K', command: 'play-pause', does: 'Play or pause the timeline' },
  { keys: ['j', ','], label: 'J / ,', command: 'step-back', does: 'Step back one bucket of the timeline' },
  { keys: ['l', '.'], label: 'L / .', command: 'step-forward', does: 'Step forward one bucket' },
  { keys: ['g'], label: 'G', command: 'go-live', does: 'Back to now (live)' },
  { keys: ['['], label: '[', command: 'toggle-side', does: 'Show or hide the side panel' },
  { keys: [']'], label: ']', command: 'toggle-bottom', does: 'Show or hide the bottom panel (timeline and analytics)' },
  { keys: ['1'], label: '1', command: 'tab-source', does: 'Source: scenario, recording or live broker' },
  { keys: ['2'], label: '2', command: 'tab-inspector', does: 'Inspector: the selected slot, door, camera…' },
  { keys: ['3'], label: '3', command: 'tab-incidents', does: 'Incidents: what the rules found, with the chain of custody' },
  { keys: ['4'], label: '4', command: 'tab-devices', does: 'Devices' },
  { keys: ['5'], label: '5', command: 'tab-quarantine', does: 'Quarantine' },
  { keys: ['6'], label: '6', command: 'tab-layout', does: 'Layout: counts, legend, open a layout file' },
  { keys: ['7'], label: '7', command: 'tab-plan', does: 'Plan: camera coverage, turn and move cameras (Ctrl+Z undoes, Ctrl+Shift+Z redoes)' },
  { keys: ['8'], label: '8', command: 'tab-roi', does: 'ROI: does the plan pay, how sure, what moves it; print the report' },
  { keys: ['f'], label: 'F', command: 'frame-room', does: 'Frame the whole room in the 3D view' },
  { keys: ['t'], label: 'T', command: 'toggle-theme', does: 'Switch between light and dark' },
  { keys: ['Escape'], label: 'Esc', command: 'clear-selection', does: 'Clear the selection (or close this help)' },
  { keys: ['/'], label: '/', command: 'find', does: 'Find a slot, shelf, door, zone or camera by its id' },
  { keys: ['?'], label: '?', command: 'help', does: 'Show these shortcuts' },
];

const BY_KEY = new Map<string, Command>();
for (const s of SHORTCUTS) for (const k of s.keys) BY_KEY.set(k, s.command);

/** The parts of a KeyboardEvent that decide a shortcut. */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
  readonly altKey?: boolean;
  /** The element the key went to (through shadow roots: the innermost). */
  readonly target?: { readonly tagName?: string; readonly isContentEditable?: boolean; readonly type?: string } | null;
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);
/** Inputs that take no typed text: shortcuts still work while one has focus. */
const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'file', 'color']);

/** The command a key press means, or undefined (modifiers held, typing in a field, not a shortcut). */
export function commandFor(e: KeyPress): Command | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined;
  const t = e.target;
  if (t && (t.isContentEditable || (t.tagName && TYPING_TAGS.has(t.tagName.toUpperCase()) && !(t.tagName.toUpperCase() === 'INPUT' && NON_TEXT_INPUTS.has(t.type ?? ''))))) {
    return undefined;
  }
  // Space on a focused button (or checkbox) presses it.
  if (e.key === ' ' && t?.tagName && ['BUTTON', 'INPUT', 'SUMMARY', 'A'].includes(t.tagName.toUpperCase())) return undefined;
  return BY_KEY.get(e.key) ?? BY_KEY.get(e.key.toLowerCase());
}

/** An edit of the history: Ctrl+Z (Cmd+Z) undoes, Ctrl+Shift+Z or Ctrl+Y redoes. */
export type EditCommand = 'undo' | 'redo';

/** The undo or redo a key press means, or undefined (no Ctrl/Cmd, another key, typing in a text field: its own undo). */
export function editCommandFor(e: KeyPress & { readonly shiftKey?: boolean }): EditCommand | undefined {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return undefined;
  const t = e.target;
  if (t && (t.isContentEditable || (t.tagName && TYPING_TAGS.has(t.tagName.toUpperCase()) && !(t.tagName.toUpperCase() === 'INPUT' && NON_TEXT_INPUTS.has(t.type ?? ''))))) {
    return undefined;
  }
  const key = e.key.toLowerCase();
  if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && !e.shiftKey) return 'redo';
  return undefined;
}
