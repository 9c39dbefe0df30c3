import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { renderBotMessage, runShellSession } from '../../src/cli/commands/shell.js';
import type { MessageHandler, UserMessage } from '../../src/shared/messages.js';

/** A bot that answers "hi" with two buttons and echoes everything else. */
function scriptedBot(received: string[]): MessageHandler {
  return {
    async handleMessage(message: UserMessage) {
      received.push(message.text ?? '');
      if (message.text === 'hi') {
        await message.output.sendResponse(message.senderId, {
          text: 'How do you feel?',
          buttons: [
            { title: 'great', payload: '/mood_great' },
            { title: 'sad', payload: '/mood_unhappy' },
          ],
        });
      } else {
        await message.output.sendResponse(message.senderId, { text: `echo ${message.text}`, image: 'https://example.com/cat.jpg' });
      }
    },
  };
}

async function chat(lines: string, received: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk) => (written += chunk));
  const done = runShellSession({ handler: scriptedBot(received), senderId: 'tester', input, output });
  input.end(lines);
  await done;
  return written;
}

describe('parley shell session', () => {
  it('shows buttons as a numbered menu and sends the payload of the number typed', async () => {
    const received: string[] = [];
    const text = await chat('hi\n2\n', received);
    expect(text).toContain('How do you feel?\n  1: great (/mood_great)\n  2: sad (/mood_unhappy)\n');
    expect(received).toEqual(['hi', '/mood_unhappy']);
  });

  it('sends a number as text when no menu is open, and shows images as Image: lines', async () => {
    const received: string[] = [];
    const text = await chat('2\n', received);
    expect(received).toEqual(['2']);
    expect(text).toContain('echo 2\nImage: https://example.com/cat.jpg\n');
  });

  it('stops at /stop and sends nothing after it', async () => {
    const received: string[] = [];
    await chat('hello\n/stop\nnever sent\n', received);
    expect(received).toEqual(['hello']);
  });

  it('renders attachments and custom payloads as lines', () => {
    expect(renderBotMessage({ attachment: 'https://example.com/a.pdf', custom: { a: 1 } }).text).toBe(
      'Attachment: https://example.com/a.pdf\nCustom json: {"a":1}\n',
    );
  });
});
