import { describe, expect, it } from 'vitest';
import {
  buttonToText,
  createCollectingOutput,
  dispatchBotMessage,
  outputChannelFrom,
  restWriter,
  socketIoWriter,
  withTextFallbacks,
  type RestMessage,
  type SocketBotPayload,
} from '../../src/channels/output.js';
import type { BotMessage } from '../../src/shared/messages.js';

const IMAGE = 'https://example.com/image.jpg';

/** A text-only channel: records what it was asked to send. */
function textOnly() {
  const texts: string[] = [];
  const output = outputChannelFrom('text', { sendText: async (_recipient, text) => void texts.push(text) });
  return { output, texts };
}

async function restObjects(...messages: BotMessage[]): Promise<RestMessage[]> {
  const collector = createCollectingOutput();
  for (const message of messages) await collector.sendResponse('my-sender', message);
  return collector.messages;
}

async function socketPayloads(...messages: BotMessage[]): Promise<Array<[string, SocketBotPayload]>> {
  const emitted: Array<[string, SocketBotPayload]> = [];
  const writer = socketIoWriter((recipient, payload) => void emitted.push([recipient, payload]));
  for (const message of messages) await dispatchBotMessage(writer, 'sid-1', message);
  return emitted;
}

describe('the collecting (REST) output', () => {
  it('is named collector', () => {
    expect(createCollectingOutput().name).toBe('collector');
  });

  it('turns a text into one object with the recipient id', async () => {
    expect(await restObjects({ text: 'hey' })).toEqual([{ recipient_id: 'my-sender', text: 'hey' }]);
  });

  it('trims a text and splits it on blank lines, keeping inner whitespace', async () => {
    const text = 'This message should come first:  \n\nThis is message two  \nThis as well\n\n';
    expect(await restObjects({ text })).toEqual([
      { recipient_id: 'my-sender', text: 'This message should come first:  ' },
      { recipient_id: 'my-sender', text: 'This is message two  \nThis as well' },
    ]);
  });

  it('keeps an empty middle part of four newlines', async () => {
    expect((await restObjects({ text: 'a\n\n\n\nb' })).map((message) => message.text)).toEqual(['a', '', 'b']);
  });

  it('sends an image as its own object', async () => {
    expect(await restObjects({ image: IMAGE })).toEqual([{ recipient_id: 'my-sender', image: IMAGE }]);
  });

  it('sends the text first, then the image', async () => {
    expect(await restObjects({ text: 'look at this', image: IMAGE })).toEqual([
      { recipient_id: 'my-sender', text: 'look at this' },
      { recipient_id: 'my-sender', image: IMAGE },
    ]);
  });

  it('passes a custom payload through unchanged after the text', async () => {
    const custom = { some_random_arg: 'value', another_arg: 'value2' };
    expect(await restObjects({ text: 'look at this', custom })).toEqual([
      { recipient_id: 'my-sender', text: 'look at this' },
      { recipient_id: 'my-sender', custom },
    ]);
  });

  it("produces Rasa's eight objects for its five-message test sequence", async () => {
    const messages = await restObjects(
      { text: 'hey' },
      { text: 'This message should come first:  \n\nThis is message two  \nThis as well\n\n' },
      { image: IMAGE },
      { text: 'look at this', image: IMAGE },
      { text: 'look at this', custom: { some_random_arg: 'value', another_arg: 'value2' } },
    );
    expect(messages).toHaveLength(8);
  });

  it('keeps buttons whole and the text unsplit', async () => {
    const buttons = [{ title: 'Yes', payload: '/affirm', extra: 1 }];
    expect(await restObjects({ text: 'a\n\nb ', buttons })).toEqual([
      { recipient_id: 'my-sender', text: 'a\n\nb ', buttons },
    ]);
  });

  it('sends quick replies as buttons and ignores buttons next to them', async () => {
    const quick = [{ title: 'A', payload: '/a' }];
    expect(await restObjects({ text: 'Pick', quick_replies: quick, buttons: [{ title: 'B', payload: '/b' }] })).toEqual([
      { recipient_id: 'my-sender', text: 'Pick', buttons: quick },
    ]);
  });

  it('omits the text of buttons without text', async () => {
    expect(await restObjects({ buttons: [{ title: 'Yes', payload: '/y' }] })).toEqual([
      { recipient_id: 'my-sender', buttons: [{ title: 'Yes', payload: '/y' }] },
    ]);
  });

  it('renders elements as "title : subtitle" with their buttons, [] when they have none', async () => {
    const elements = [{ title: 't1', subtitle: 's1', buttons: [{ title: 'B', payload: '/b' }] }, { title: 't2' }];
    expect(await restObjects({ elements })).toEqual([
      { recipient_id: 'my-sender', text: 't1 : s1', buttons: [{ title: 'B', payload: '/b' }] },
      { recipient_id: 'my-sender', text: 't2 : ', buttons: [] },
    ]);
  });

  it('sends an attachment as given', async () => {
    const attachment = { type: 'video', payload: { src: 'v.mp4' } };
    expect(await restObjects({ attachment })).toEqual([{ recipient_id: 'my-sender', attachment }]);
  });

  it('sends nothing for an empty text, empty lists and an empty custom object', async () => {
    expect(await restObjects({ text: '', buttons: [], custom: {}, elements: [], image: null })).toEqual([]);
  });

  it('sends every part in the order text, custom, image, attachment, elements', async () => {
    const messages = await restObjects({
      text: 't',
      custom: { c: 1 },
      image: IMAGE,
      attachment: 'file.pdf',
      elements: [{ title: 'e', subtitle: 's' }],
    });
    expect(messages.map((message) => Object.keys(message)[1])).toEqual(['text', 'custom', 'image', 'attachment', 'text']);
  });

  it('ignores response metadata keys merged into the message', async () => {
    expect(await restObjects({ text: 'hi', utter_action: 'utter_greet', timestamp: 1 })).toEqual([
      { recipient_id: 'my-sender', text: 'hi' },
    ]);
  });
});

describe('the text fallbacks of a text-only channel', () => {
  it('renders elements without buttons as exactly one text', async () => {
    const { output, texts } = textOnly();
    await output.sendResponse('u', { elements: [{ title: 'a', subtitle: 'b' }] });
    expect(texts).toEqual(['a : b']);
  });

  it('renders buttons as numbered lines after the text, extras as sorted JSON', async () => {
    const { output, texts } = textOnly();
    await output.sendResponse('u', {
      text: 'Choose',
      buttons: [{ title: 'Yes', payload: '/y' }, { title: 'Site', url: 'https://x', type: 'web_url' }],
    });
    expect(texts).toEqual(['Choose', '1: Yes (/y)', '2: Site - {"type":"web_url","url":"https://x"}']);
  });

  it('renders quick replies like buttons', async () => {
    const { output, texts } = textOnly();
    await output.sendResponse('u', { text: 'Pick', quick_replies: [{ title: 'A', payload: '/a' }] });
    expect(texts).toEqual(['Pick', '1: A (/a)']);
  });

  it('renders image, attachment and custom as text', async () => {
    const { output, texts } = textOnly();
    await output.sendResponse('u', { image: IMAGE, attachment: 'doc.pdf', custom: { a: 1 } });
    expect(texts).toEqual(['{"a":1}', `Image: ${IMAGE}`, 'Attachment: doc.pdf']);
  });

  it('lets a writer override any single method', async () => {
    const calls: string[] = [];
    const writer = withTextFallbacks({
      sendText: async (_r, text) => void calls.push(`text:${text}`),
      sendImage: async (_r, url) => void calls.push(`image:${url}`),
    });
    await writer.sendImage('u', 'x.png');
    expect(calls).toEqual(['image:x.png']);
  });

  it('formats a button with a payload and no extras', () => {
    expect(buttonToText({ title: 'Go', payload: '/go' }, 2)).toBe('3: Go (/go)');
  });
});

describe('the Socket.IO output', () => {
  it('emits one {text} per blank-line-separated part to the recipient', async () => {
    expect(await socketPayloads({ text: ' a\n\nb ' })).toEqual([
      ['sid-1', { text: 'a' }],
      ['sid-1', { text: 'b' }],
    ]);
  });

  it('turns buttons into quick replies with only content_type, title and payload', async () => {
    expect(await socketPayloads({ text: 'Sure?', buttons: [{ title: 'Yes', payload: '/affirm', extra: 1 }] })).toEqual([
      ['sid-1', { text: 'Sure?', quick_replies: [{ content_type: 'text', title: 'Yes', payload: '/affirm' }] }],
    ]);
  });

  it('puts all buttons on the last part of a split text', async () => {
    const payloads = await socketPayloads({ text: 'a\n\nb', buttons: [{ title: 'Yes', payload: '/affirm' }] });
    expect(payloads.map(([, payload]) => payload)).toEqual([
      { text: 'a', quick_replies: [] },
      { text: 'b', quick_replies: [{ content_type: 'text', title: 'Yes', payload: '/affirm' }] },
    ]);
  });

  it('uses the title for a button without payload', async () => {
    const [[, payload]] = await socketPayloads({ text: 'Hi', buttons: [{ title: 'Hello' }] });
    expect(payload).toEqual({ text: 'Hi', quick_replies: [{ content_type: 'text', title: 'Hello', payload: 'Hello' }] });
  });

  it('sends buttons without text as one message with an empty text', async () => {
    const payloads = await socketPayloads({ quick_replies: [{ title: 'A', payload: '/a' }] });
    expect(payloads.map(([, payload]) => payload)).toEqual([
      { text: '', quick_replies: [{ content_type: 'text', title: 'A', payload: '/a' }] },
    ]);
  });

  it('wraps an image in an image attachment', async () => {
    expect(await socketPayloads({ image: IMAGE })).toEqual([
      ['sid-1', { attachment: { type: 'image', payload: { src: IMAGE } } }],
    ]);
  });

  it('sends one generic template per element, each holding that single element', async () => {
    const e1 = { title: 't1', subtitle: 's1', buttons: [] };
    const e2 = { title: 't2' };
    expect((await socketPayloads({ elements: [e1, e2] })).map(([, payload]) => payload)).toEqual([
      { attachment: { type: 'template', payload: { template_type: 'generic', elements: e1 } } },
      { attachment: { type: 'template', payload: { template_type: 'generic', elements: e2 } } },
    ]);
  });

  it('sends an attachment as given', async () => {
    const attachment = { type: 'video', payload: { src: 'v.mp4', title: 'V' } };
    expect(await socketPayloads({ attachment })).toEqual([['sid-1', { attachment }]]);
  });

  it('emits custom.data when the custom payload has data', async () => {
    expect(await socketPayloads({ custom: { data: { x: 1 }, room: 'elsewhere' } })).toEqual([['sid-1', { x: 1 }]]);
  });

  it('emits the whole custom object when it has no data', async () => {
    expect(await socketPayloads({ custom: { kind: 'map', lat: 1 } })).toEqual([['sid-1', { kind: 'map', lat: 1 }]]);
  });
});

describe('a REST writer', () => {
  it('hands each object to its delivery function as it is produced', async () => {
    const delivered: RestMessage[] = [];
    const output = outputChannelFrom('queue', restWriter((message) => void delivered.push(message)));
    await output.sendResponse('u', { text: 'one' });
    expect(delivered).toEqual([{ recipient_id: 'u', text: 'one' }]);
    await output.sendResponse('u', { text: 'two' });
    expect(delivered).toHaveLength(2);
  });
});
