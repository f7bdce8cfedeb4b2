#!/usr/bin/env node
// Runs the TypeScript CLI straight from source (tsx), so `npx preflight` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/bin.ts');
