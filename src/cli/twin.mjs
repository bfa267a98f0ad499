#!/usr/bin/env node
// The `twin` command: runs the TypeScript CLI through tsx, so `npx twin ...` works after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
