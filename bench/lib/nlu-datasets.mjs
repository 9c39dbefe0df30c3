/**
 * The NLU benchmark's data sets: SNIPS (full train → test) and the three Braun et al. corpora
 * (train → test), read from the shared fixtures as `{ text, intent, entities }` examples.
 */
import { join } from 'node:path';
import { FIXTURES } from './projects.mjs';

const NLU = join(FIXTURES, 'nlu');

/** Every data set, in report order; `group` pools the Braun corpora for the overall figure. */
export const NLU_DATASETS = [
  { name: 'snips', group: null, train: join(NLU, 'snips/train.yml'), test: join(NLU, 'snips/test.yml') },
  { name: 'askubuntu', group: 'braun', train: join(NLU, 'braun/askubuntu/train.yml'), test: join(NLU, 'braun/askubuntu/test.yml') },
  { name: 'chatbot', group: 'braun', train: join(NLU, 'braun/chatbot/train.yml'), test: join(NLU, 'braun/chatbot/test.yml') },
  { name: 'webapplications', group: 'braun', train: join(NLU, 'braun/webapplications/train.yml'), test: join(NLU, 'braun/webapplications/test.yml') },
];

export { readNluExamples } from './nlu-examples.mjs';

/** The first `perIntent` examples of each intent (all when undefined), in file order. */
export function limitPerIntent(examples, perIntent) {
  if (perIntent === undefined) return examples;
  const seen = new Map();
  return examples.filter((example) => {
    const count = seen.get(example.intent) ?? 0;
    seen.set(example.intent, count + 1);
    return count < perIntent;
  });
}
