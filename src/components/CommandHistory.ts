/**
 * The planner's undo history, after the three.js editor's (editor/js/History.js): every user
 * edit is a command with `execute` and `undo`; the history runs it, keeps it, and walks back
 * and forth. A slider drag is one edit, not sixty: a command may `absorb` the next one of the
 * same gesture, so the history keeps one entry whose undo goes back to where the drag began.
 */

export interface Command {
  /** What the edit did, in words: "yaw of cam-dock 86° → 90°" (for the Undo button's title). */
  readonly name: string;
  execute(): void;
  undo(): void;
  /** Takes `next` (already executed) into this command instead of a new entry; true when it did. */
  absorb?(next: Command): boolean;
}

export class CommandHistory {
  private readonly done: Command[] = [];
  private readonly undone: Command[] = [];

  /** `limit`: the oldest edits are forgotten past this many. `onChange` runs after every change. */
  constructor(
    private readonly onChange: () => void = () => {},
    private readonly limit = 200,
  ) {}

  /** Runs a new edit; whatever had been undone can no longer be redone. */
  execute(command: Command): void {
    command.execute();
    const last = this.done.at(-1);
    if (!(this.undone.length === 0 && last?.absorb?.(command))) {
      this.done.push(command);
      if (this.done.length > this.limit) this.done.shift();
    }
    this.undone.length = 0;
    this.onChange();
  }

  /** Undoes the last edit; undefined when there is none. */
  undo(): Command | undefined {
    const c = this.done.pop();
    if (!c) return undefined;
    c.undo();
    this.undone.push(c);
    this.onChange();
    return c;
  }

  /** Does the last undone edit again; undefined when there is none. */
  redo(): Command | undefined {
    const c = this.undone.pop();
    if (!c) return undefined;
    c.execute();
    this.done.push(c);
    this.onChange();
    return c;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** The edit Undo would take back, and the one Redo would do again. */
  get undoName(): string | undefined {
    return this.done.at(-1)?.name;
  }

  get redoName(): string | undefined {
    return this.undone.at(-1)?.name;
  }

  /** Edits kept (for tests and the panel). */
  get size(): number {
    return this.done.length;
  }

  clear(): void {
    this.done.length = 0;
    this.undone.length = 0;
    this.onChange();
  }
}
