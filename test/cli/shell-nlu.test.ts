import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runNluShellSession } from '../../src/cli/commands/shell.js';
import type { NluInterpreter } from '../../src/shared/nlu.js';

const interpreter: NluInterpreter = {
  parse: (text) => ({
    text,
    intent: { name: 'greet', confidence: 0.9 },
    entities: [],
    text_tokens: [[0, text.length]],
    intent_ranking: [{ name: 'greet', confidence: 0.9 }],
  }),
};

async function session(lines: string): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk) => (written += chunk));
  const done = runNluShellSession({ interpreter, input, output });
  input.end(lines);
  await done;
  return written;
}

describe('runNluShellSession', () => {
  it('prints every parse as the /model/parse JSON and stops at /stop', async () => {
    const written = await session('hello\n\n/stop\nnever parsed\n');
    const start = written.indexOf('{');
    const end = written.indexOf('\n}\n') + 2;
    expect(JSON.parse(written.slice(start, end))).toEqual({
      text: 'hello',
      intent: { name: 'greet', confidence: 0.9 },
      entities: [],
      text_tokens: [[0, 5]],
      intent_ranking: [{ name: 'greet', confidence: 0.9 }],
    });
    expect(written).toContain('NLU model loaded.');
    expect(written).not.toContain('never parsed');
  });

  it('ends at the end of the input', async () => {
    expect(await session('hi\n')).toContain('"text": "hi"');
  });
});
