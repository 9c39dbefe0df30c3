/** Writes one benchmark's result as `<out>/<name>.json`, with the machine it ran on. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeMachine } from './environment.mjs';
import { currentPinning } from './processes.mjs';
import { roundAll } from './stats.mjs';

/** Write and return the result document; prints the path so `npm run bench` shows progress. */
export function writeResult(out, name, body) {
  mkdirSync(out, { recursive: true });
  const document = { benchmark: name, machine: { ...describeMachine(), cores_pinned: currentPinning() ? `servers on core ${currentPinning().serverCore}, load generator on core ${currentPinning().loadCore}` : null }, ...roundAll(body) };
  const path = join(out, `${name}.json`);
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`${name}: wrote ${path}`);
  return document;
}
