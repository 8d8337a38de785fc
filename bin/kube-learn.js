#!/usr/bin/env node
// The kube-learn command. `npm run build` writes the bundle; the unbundled build is the fallback.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/entry.js', import.meta.url);
await import(existsSync(bundle) ? bundle.href : new URL('../dist/cli/entry.js', import.meta.url).href);
