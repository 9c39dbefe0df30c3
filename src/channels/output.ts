/**
 * Bot-message serialisation, in one place: the dispatch order every channel shares, the text
 * fallbacks for channels that only speak text, and the two wire shapes website clients read
 * (Rasa's REST object shape and its Socket.IO shape).
 */
import type { Button } from '../shared/events.js';
import type { BotMessage, OutputChannel } from '../shared/messages.js';

/**
 * What a channel can send. Only `sendText` is required: {@link withTextFallbacks} fills in the
 * rest with Rasa's text renderings (`Image: <url>`, numbered button lines, …).
 */
export interface OutputWriter {
  sendText(recipientId: string, text: string): Promise<void>;
  sendTextWithButtons(recipientId: string, text: string | null, buttons: Button[]): Promise<void>;
  sendQuickReplies(recipientId: string, text: string | null, quickReplies: Button[]): Promise<void>;
  sendImage(recipientId: string, url: string): Promise<void>;
  sendAttachment(recipientId: string, attachment: unknown): Promise<void>;
  sendElements(recipientId: string, elements: unknown[]): Promise<void>;
  sendCustom(recipientId: string, custom: Record<string, unknown>): Promise<void>;
}

export type PartialOutputWriter = Pick<OutputWriter, 'sendText'> & Partial<OutputWriter>;

/** Python truthiness, which decides what Rasa sends: null, "", [] and {} count as absent. */
function isPresent(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') {
    return false;
  }
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/**
 * Send one bot message through `writer` in Rasa's order: quick replies, else buttons, else text;
 * then custom, image, attachment, elements. `quick_replies` wins over `buttons`.
 */
export async function dispatchBotMessage(
  writer: OutputWriter,
  recipientId: string,
  message: BotMessage,
): Promise<void> {
  const text = asText(message.text);
  if (isPresent(message.quick_replies)) {
    await writer.sendQuickReplies(recipientId, text, message.quick_replies as Button[]);
  } else if (isPresent(message.buttons)) {
    await writer.sendTextWithButtons(recipientId, text, message.buttons as Button[]);
  } else if (text) {
    await writer.sendText(recipientId, text);
  }
  if (isPresent(message.custom)) {
    await writer.sendCustom(recipientId, message.custom as Record<string, unknown>);
  }
  if (isPresent(message.image)) await writer.sendImage(recipientId, String(message.image));
  if (isPresent(message.attachment)) await writer.sendAttachment(recipientId, message.attachment);
  if (isPresent(message.elements)) {
    await writer.sendElements(recipientId, message.elements as unknown[]);
  }
}

/** JSON with sorted keys, as Python's `json.dumps(..., sort_keys=True)` renders button extras. */
function sortedJson(value: Record<string, unknown>): string {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = value[key];
  return JSON.stringify(sorted);
}

/** `1: Yes (/affirm)` plus ` - {"extra":1}` when the button has other fields. */
export function buttonToText(button: Button, index: number): string {
  const { title, payload, ...rest } = button;
  const payloadPart = 'payload' in button ? ` (${String(payload)})` : '';
  const details = Object.keys(rest).length > 0 ? ` - ${sortedJson(rest)}` : '';
  return `${index + 1}: ${title ?? ''}${payloadPart}${details}`;
}

function elementField(element: unknown, key: string): unknown {
  return typeof element === 'object' && element !== null
    ? (element as Record<string, unknown>)[key]
    : undefined;
}

/** `"<title> : <subtitle>"`, the text form of a carousel card in every text rendering. */
export function elementTitle(element: unknown): string {
  return `${asText(elementField(element, 'title')) ?? ''} : ${asText(elementField(element, 'subtitle')) ?? ''}`;
}

export function elementButtons(element: unknown): Button[] {
  const buttons = elementField(element, 'buttons');
  return Array.isArray(buttons) ? (buttons as Button[]) : [];
}

/** Complete a writer with Rasa's text-only defaults for every method it does not implement. */
export function withTextFallbacks(partial: PartialOutputWriter): OutputWriter {
  const writer: OutputWriter = {
    sendText: (recipientId, text) => partial.sendText(recipientId, text),
    sendTextWithButtons:
      partial.sendTextWithButtons?.bind(partial) ??
      (async (recipientId, text, buttons) => {
        if (text) await writer.sendText(recipientId, text);
        for (const [index, button] of buttons.entries()) {
          await writer.sendText(recipientId, buttonToText(button, index));
        }
      }),
    sendQuickReplies:
      partial.sendQuickReplies?.bind(partial) ??
      ((recipientId, text, quickReplies) => writer.sendTextWithButtons(recipientId, text, quickReplies)),
    sendImage:
      partial.sendImage?.bind(partial) ?? ((recipientId, url) => writer.sendText(recipientId, `Image: ${url}`)),
    sendAttachment:
      partial.sendAttachment?.bind(partial) ??
      ((recipientId, attachment) =>
        writer.sendText(
          recipientId,
          `Attachment: ${typeof attachment === 'string' ? attachment : JSON.stringify(attachment)}`,
        )),
    sendElements:
      partial.sendElements?.bind(partial) ??
      (async (recipientId, elements) => {
        for (const element of elements) {
          await writer.sendTextWithButtons(recipientId, elementTitle(element), elementButtons(element));
        }
      }),
    sendCustom:
      partial.sendCustom?.bind(partial) ??
      ((recipientId, custom) => writer.sendText(recipientId, JSON.stringify(custom))),
  };
  return writer;
}

/** An OutputChannel named `name` that serialises through `writer`. */
export function outputChannelFrom(name: string, writer: PartialOutputWriter): OutputChannel {
  const complete = withTextFallbacks(writer);
  return {
    name,
    sendResponse: (recipientId, message) => dispatchBotMessage(complete, recipientId, message),
  };
}

/** Rasa's text rule: trim, then one part per `"\n\n"` (parts are not trimmed again). */
export function splitText(text: string): string[] {
  return text.trim().split('\n\n');
}

// ── REST shape (collector, queue, callback) ──────────────────────────────────────────────

/** One item of a REST webhook answer or one callback POST body. Absent keys are omitted. */
export interface RestMessage {
  recipient_id: string;
  text?: string;
  image?: string;
  buttons?: Button[];
  attachment?: unknown;
  custom?: Record<string, unknown>;
}

/**
 * A writer producing REST-shaped objects (Rasa's `CollectingOutputChannel`): text is split on
 * `"\n\n"`, buttons and quick replies become one `{text, buttons}` object (text untouched),
 * elements use the text fallback (`"title : subtitle"` + buttons, `[]` kept).
 */
export function restWriter(deliver: (message: RestMessage) => Promise<void> | void): PartialOutputWriter {
  return {
    async sendText(recipientId, text) {
      for (const part of splitText(text)) await deliver({ recipient_id: recipientId, text: part });
    },
    async sendTextWithButtons(recipientId, text, buttons) {
      const message: RestMessage = { recipient_id: recipientId };
      if (text !== null) message.text = text;
      message.buttons = buttons;
      await deliver(message);
    },
    async sendImage(recipientId, url) {
      await deliver({ recipient_id: recipientId, image: url });
    },
    async sendAttachment(recipientId, attachment) {
      await deliver({ recipient_id: recipientId, attachment });
    },
    async sendCustom(recipientId, custom) {
      await deliver({ recipient_id: recipientId, custom });
    },
  };
}

/** The REST channel's output: collects every message of the turn (name `collector`). */
export interface CollectingOutput extends OutputChannel {
  readonly messages: RestMessage[];
}

export function createCollectingOutput(): CollectingOutput {
  const messages: RestMessage[] = [];
  const channel = outputChannelFrom('collector', restWriter((message) => void messages.push(message)));
  return { name: channel.name, sendResponse: channel.sendResponse, messages };
}

// ── Socket.IO shape ─────────────────────────────────────────────────────────────────────

export interface SocketQuickReply {
  content_type: 'text';
  title: string;
  payload: string;
}

/** Payloads of the bot event (`bot_uttered`): exactly these keys, nothing added (webchat relies on it). */
export type SocketBotMessage =
  | { text: string }
  | { text: string; quick_replies: SocketQuickReply[] }
  | { attachment: unknown };

/** What one bot event carries: a {@link SocketBotMessage}, or a custom payload as given. */
export type SocketBotPayload =
  | SocketBotMessage
  | Record<string, unknown>
  | unknown[]
  | string
  | number
  | boolean
  | null;

function toQuickReply(button: Button): SocketQuickReply {
  const title = asText(button.title) ?? '';
  // Rasa raises on a button without payload and loses the rest of the turn; the title is
  // what Rasa Pro sends instead, and what a user clicking it would expect.
  const payload = asText(button.payload) ?? title;
  return { content_type: 'text', title, payload };
}

/**
 * A writer producing Rasa's Socket.IO payloads; `emit` sends one payload to the recipient's room.
 * Custom payloads: `custom.data` when present (what Rasa emits), else the whole object (Rasa Pro;
 * Rasa OSS emits an event without argument, which crashes Rasa Webchat).
 */
export function socketIoWriter(
  emit: (recipientId: string, payload: SocketBotPayload) => Promise<void> | void,
): OutputWriter {
  return withTextFallbacks({
    async sendText(recipientId, text) {
      for (const part of splitText(text)) await emit(recipientId, { text: part });
    },
    async sendTextWithButtons(recipientId, text, buttons) {
      // A missing text makes Rasa's socket output crash; "" keeps the buttons deliverable.
      const parts = splitText(text ?? '').map((part) => ({
        text: part,
        quick_replies: [] as SocketQuickReply[],
      }));
      parts[parts.length - 1].quick_replies = buttons.map(toQuickReply);
      for (const part of parts) await emit(recipientId, part);
    },
    async sendImage(recipientId, url) {
      await emit(recipientId, { attachment: { type: 'image', payload: { src: url } } });
    },
    async sendAttachment(recipientId, attachment) {
      await emit(recipientId, { attachment });
    },
    async sendElements(recipientId, elements) {
      for (const element of elements) {
        await emit(recipientId, {
          attachment: { type: 'template', payload: { template_type: 'generic', elements: element } },
        });
      }
    },
    async sendCustom(recipientId, custom) {
      const data = custom.data;
      await emit(recipientId, data === undefined || data === null ? custom : (data as SocketBotPayload));
    },
  });
}
