/**
 * node-nlp (4.x), the peer the NLU figures compare with: one NlpManager per language, trained on
 * `{ text, intent }` examples; its built-in NER is off because SNIPS slots are not its entities.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { NlpManager } = require('node-nlp');

/** A trained node-nlp manager. */
export async function trainNodeNlp(examples) {
  const manager = new NlpManager({ languages: ['en'], forceNER: false, autoSave: false, nlu: { log: false }, ner: { builtins: [] } });
  for (const example of examples) manager.addDocument('en', example.text, example.intent);
  await manager.train();
  return manager;
}

/** The intent node-nlp gives a text (`None` when it has none). */
export async function classifyNodeNlp(manager, text) {
  const result = await manager.process('en', text);
  return { intent: result.intent, confidence: result.score };
}
