#!/usr/bin/env node
// Entry point of the `parley` command: the compiled CLI lives in dist/ (built by `npm install`).
import { main } from '../dist/cli/main.js';

main(process.argv).catch((error) => {
  console.error(error);
  process.exit(1);
});
