/**
 * A stand-in for the dialogue engine in channel tests: answers each user text with scripted bot
 * messages (echo by default), records what it received, and can fail or wait on request.
 */
import type { BotMessage, MessageHandler, UserMessage } from '../../../src/shared/messages.js';

export const IMAGE_URL = 'https://example.com/image.jpg';

/** Texts the handler knows, and what it answers to each. Anything else is echoed. */
export const SCRIPT: Record<string, BotMessage[]> = {
  buttons: [{ text: 'Sure?', buttons: [{ title: 'Yes', payload: '/affirm', extra: 1 }] }],
  'quick replies': [
    { text: 'Pick', quick_replies: [{ title: 'A', payload: '/a' }], buttons: [{ title: 'ignored', payload: '/x' }] },
  ],
  'split buttons': [{ text: 'a\n\nb', buttons: [{ title: 'Yes', payload: '/affirm' }] }],
  'split text': [{ text: 'This message should come first:  \n\nThis is message two  \nThis as well\n\n' }],
  image: [{ text: 'look at this', image: IMAGE_URL }],
  'custom data': [{ custom: { data: { x: 1 } } }],
  'custom plain': [{ text: 'look at this', custom: { some_random_arg: 'value', another_arg: 'value2' } }],
  elements: [
    {
      elements: [
        { title: 't1', subtitle: 's1', buttons: [{ title: 'B', payload: '/b' }] },
        { title: 't2', subtitle: 's2' },
      ],
    },
  ],
  attachment: [{ attachment: { type: 'video', payload: { src: 'https://example.com/v.mp4' } } }],
  'two messages': [{ text: 'first' }, { text: 'second' }],
  nothing: [],
};

export interface TestHandler extends MessageHandler {
  /** Every message received, in order. */
  readonly received: UserMessage[];
}

export interface TestHandlerOptions {
  /** Wait this long before answering a text starting with `slow`. */
  slowMs?: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `fail` sends one message then throws; `slow …` waits `slowMs` then echoes; known texts answer
 * from {@link SCRIPT}; other texts are echoed as `echo: <text>`.
 */
export function createTestHandler(options: TestHandlerOptions = {}): TestHandler {
  const received: UserMessage[] = [];
  return {
    received,
    async handleMessage(message) {
      received.push(message);
      const send = (bot: BotMessage) => message.output.sendResponse(message.senderId, bot);
      const text = message.text ?? '';
      if (text === 'fail') {
        await send({ text: 'before the failure' });
        throw new Error('the engine broke');
      }
      if (text.startsWith('slow')) await sleep(options.slowMs ?? 50);
      const script = SCRIPT[text];
      if (script) {
        for (const bot of script) await send(structuredClone(bot));
        return;
      }
      await send({ text: `echo: ${text}` });
    },
  };
}
