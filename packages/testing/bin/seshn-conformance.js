#!/usr/bin/env node
// The `seshn-conformance` command (source: src/cli.ts). A stub that exists before `pnpm build`,
// so installing the workspace can link the bin.
import '../dist/cli.js';
