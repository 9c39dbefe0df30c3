/** A whole-process node-nlp training run (the train benchmark's peer): `node nodenlp-train.mjs <examples.json>`. */
import { readFileSync } from 'node:fs';
import { trainNodeNlp } from './nodenlp.mjs';

const examples = JSON.parse(readFileSync(process.argv[2], 'utf8'));
await trainNodeNlp(examples);
console.log(`trained on ${examples.length} examples`);
