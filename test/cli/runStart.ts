/**
 * Runs `npm start`'s program as the package script does (`node --import tsx src/cli/start.ts`)
 * and reads what it prints, so tests see exactly what a user sees.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');

export interface StartRun {
  readonly child: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches `pattern` (its match), rejects if the process ends first or after `ms`. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** The exit code once the process has ended (null when a signal killed it). */
  readonly exited: Promise<number | null>;
}

export function runStart(...args: string[]): StartRun {
  const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'UTC' };
  // The developer's own settings must not leak into what the test asks for.
  delete env.PORT;
  delete env.INIT_CWD;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((w) => w());
  child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), wake()));
  child.stderr!.on('data', (d: Buffer) => ((err += d.toString()), wake()));
  let ended = false;
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => ((ended = true), wake(), resolve(code))));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, ms = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`no ${pattern} within ${ms} ms; stdout:\n${out}\nstderr:\n${err}`)), ms);
        const check = () => {
          const m = out.match(pattern);
          if (m) done(undefined, m);
          else if (ended) done(new Error(`exited before printing ${pattern}; stdout:\n${out}\nstderr:\n${err}`));
        };
        const done = (e?: Error, m?: RegExpMatchArray) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (e) reject(e);
          else resolve(m!);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** Sends Ctrl-C and resolves with the exit code and how long the process took to end. */
export async function interrupt(run: StartRun): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  run.child.kill('SIGINT');
  const code = await run.exited;
  return { code, ms: Date.now() - t0 };
}

/** True when nothing listens on 127.0.0.1:port (we can bind it ourselves). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
