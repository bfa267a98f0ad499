/**
 * Runs the real `twin` bin, as a user would, without blocking this process (an in-process
 * broker must keep answering while the command runs). Shared by every CLI test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '../../src/cli/twin.mjs');

export interface TwinResult {
  /** Exit code (null when killed by a signal) and what it printed. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
}

export interface TwinRun {
  readonly child: ChildProcess;
  readonly done: Promise<TwinResult>;
}

export function runTwin(...args: string[]): TwinRun {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<TwinResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, wallMs: Date.now() - started }));
  });
  return { child, done };
}

/** Runs `twin ...args` to the end. */
export const twin = (...args: string[]): Promise<TwinResult> => runTwin(...args).done;
