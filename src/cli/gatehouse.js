#!/usr/bin/env node
// The `gatehouse` command. The CLI is TypeScript, loaded through tsx so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('./gatehouse.ts');
