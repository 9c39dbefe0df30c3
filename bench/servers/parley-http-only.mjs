/**
 * Parley's HTTP layer with a constant bot: the same server `parley run` builds (fastify, request
 * ids, CORS, error handling, the rest and socketio channels, output collection) but a message
 * handler that answers every message with moodbot's reply to "hi" without running a turn. The gap
 * between it and the bare route is the cost of Parley's HTTP layer; the gap between it and
 * `parley run` is the cost of the dialogue turn (NLU, policies, tracker, stores).
 * Prints `listening on <url>`.
 */
import { createLogger } from '../../dist/logger.js';
import { createServer } from '../../dist/server/app.js';

const REPLY_TEXT = 'Hey! How are you?';

/** Answers like moodbot's greet turn, through the channel's own output, with nothing else. */
const constantBot = {
  async handleMessage(message) {
    await message.output.sendResponse(message.senderId, { text: REPLY_TEXT });
  },
};

const server = createServer({
  handler: constantBot,
  credentials: [
    { name: 'rest', options: null },
    // As the socketio benchmark's moodbot: its per-connection rate limit off (the bare echo has none).
    { name: 'socketio', options: { user_message_evt: 'user_uttered', bot_message_evt: 'bot_uttered', session_persistence: false, max_messages_per_minute: 0 } },
  ],
  logger: createLogger(), // as `parley run` writes logs when its output is not a terminal
});
const url = await server.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening on ${url}`);
const stop = () => server.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
