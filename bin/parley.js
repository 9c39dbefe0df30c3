#!/usr/bin/env node
// Entry point of the `parley` command. The build (`npm install` runs it) compiles the CLI to dist/
// and bundles it into dist/cli-bundle/, which starts faster; without the bundle, dist/ is used.
import { existsSync } from 'node:fs';

const bundled = new URL('../dist/cli-bundle/main.js', import.meta.url);
const { main } = await import(existsSync(bundled) ? bundled.href : new URL('../dist/cli/main.js', import.meta.url).href);

main(process.argv).catch((error) => {
  console.error(error);
  process.exit(1);
});
