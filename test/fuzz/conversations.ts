/**
 * Well-behaved moodbot conversations that run alongside the garbage: scripted REST turns with
 * the exact replies moodbot gives, and a summary of a tracker's events to compare with a control
 * conversation that ran the same script before any garbage was sent.
 */
import { sendRaw } from './raw-http.js';

export interface Turn {
  text: string;
  /** Bot texts of the turn, in order. */
  replies: string[];
}

export const SCRIPTS: readonly Turn[][] = [
  [
    { text: 'hello', replies: ['Hey! How are you?'] },
    { text: 'I am great', replies: ['Great, carry on!'] },
    { text: 'bye', replies: ['Bye'] },
  ],
  [
    { text: 'hi', replies: ['Hey! How are you?'] },
    { text: 'I am sad', replies: ['Here is something to cheer you up:', 'Did that help you?'] },
    { text: 'yes', replies: ['Great, carry on!'] },
  ],
  [
    { text: 'hey', replies: ['Hey! How are you?'] },
    { text: 'very sad', replies: ['Here is something to cheer you up:', 'Did that help you?'] },
    { text: 'no', replies: ['Bye'] },
  ],
  [
    { text: 'are you a bot?', replies: ['I am a bot, powered by Rasa.'] },
    { text: 'good night', replies: ['Bye'] },
  ],
];

/** One REST turn; resolves with the reply texts (images are checked to be moodbot's). */
export async function restTurn(port: number, sender: string, text: string): Promise<{ status: number; texts: string[]; raw: string }> {
  const response = await sendRaw(port, {
    method: 'POST',
    target: '/webhooks/rest/webhook',
    headers: [['content-type', 'application/json']],
    body: JSON.stringify({ sender, message: text }),
  });
  const raw = response.body.toString('utf8');
  if (response.status !== 200) return { status: response.status, texts: [], raw };
  const messages = JSON.parse(raw) as Array<{ recipient_id: string; text?: string; image?: string }>;
  const foreign = messages.filter((message) => message.recipient_id !== sender);
  if (foreign.length > 0) throw new Error(`${sender} received messages for ${foreign.map((message) => message.recipient_id).join(', ')}`);
  return { status: 200, texts: messages.map((message) => message.text ?? `[image ${message.image}]`), raw };
}

/** What a tracker's events say, without timestamps and ids: `event:name-or-text` per event. */
export function eventSummary(events: ReadonlyArray<Record<string, unknown>>): string[] {
  return events.map((event) => {
    const kind = String(event.event);
    if (kind === 'user') {
      const intent = (event.parse_data as { intent?: { name?: string } } | undefined)?.intent?.name ?? '?';
      return `user:${String(event.text)}→${intent}`;
    }
    if (kind === 'bot') return `bot:${String(event.text)}`;
    if (kind === 'slot') return `slot:${String(event.name)}=${JSON.stringify(event.value)}`;
    if ('name' in event) return `${kind}:${String(event.name)}`;
    return kind;
  });
}

/** The tracker of a conversation (all events) through the HTTP API. */
export async function trackerEvents(port: number, token: string, sender: string): Promise<Array<Record<string, unknown>>> {
  const response = await sendRaw(port, { method: 'GET', target: `/conversations/${encodeURIComponent(sender)}/tracker?include_events=ALL&token=${token}` });
  if (response.status !== 200) throw new Error(`GET tracker of ${sender}: ${response.status} ${response.body.toString('utf8')}`);
  return (JSON.parse(response.body.toString('utf8')) as { events: Array<Record<string, unknown>> }).events;
}
