/** The CustomEvents `<parley-chat>` fires, by name, with their `detail` types. */
import type { ConnectionStatus, TransportKind } from './transport.js';
import type { BotView } from './view-model.js';

export interface ParleyChatEventDetails {
  'parley-open': Record<string, never>;
  'parley-close': Record<string, never>;
  /** `text` is what the user saw; `message` is what went to the bot (a button's payload). */
  'parley-user-message': { text: string; message: string };
  'parley-bot-message': { payload: unknown; views: BotView[] };
  /** A payload the widget does not render (Rasa `custom` data); the page may act on it. */
  'parley-custom': { payload: unknown };
  'parley-status': { status: ConnectionStatus; transport: TransportKind; reason: string | null };
  'parley-session': { sessionId: string; isNew: boolean };
  /** A message did not reach the bot. */
  'parley-error': { message: string };
}
