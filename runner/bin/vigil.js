#!/usr/bin/env node
// Package bin: registers tsx in this process (the project has no build step) and runs the
// TypeScript CLI. One process, so signals reach the runner directly.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
