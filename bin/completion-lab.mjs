#!/usr/bin/env node
// The `completion-lab` command: the bundled CLI (run `npm run build` first in a checkout).
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
require('../dist/cli.js');
