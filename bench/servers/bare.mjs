/**
 * The baseline: a bare fastify route answering `POST /webhooks/rest/webhook` with the same JSON
 * Parley's moodbot gives for "hi", and a bare socket.io echo on the same port (`user_uttered` →
 * one `bot_uttered`, then the acknowledgement, as Parley's socketio channel does). It prints
 * `listening on <url>`; under `fork` it answers `{type:'memory'}` with its memory after a GC.
 */
import fastify from 'fastify';
import { Server } from 'socket.io';
import { answerMemoryRequests } from './memory-ipc.mjs';

const portFlag = process.argv.indexOf('--port');
const port = portFlag > 0 ? Number(process.argv[portFlag + 1]) : 0;
const REPLY_TEXT = 'Hey! How are you?';

const app = fastify({ logger: false });
app.post('/webhooks/rest/webhook', async (request) => [{ recipient_id: request.body?.sender ?? 'default', text: REPLY_TEXT }]);
const io = new Server(app.server, { path: '/socket.io', cors: { origin: '*' } });
io.on('connection', (socket) => {
  socket.on('session_request', (data) => socket.emit('session_confirm', data?.session_id ?? socket.id));
  socket.on('user_uttered', (_payload, ack) => {
    socket.emit('bot_uttered', { text: REPLY_TEXT });
    if (typeof ack === 'function') ack();
  });
});
const url = await app.listen({ port, host: '127.0.0.1' });
answerMemoryRequests();
console.log(`listening on ${url}`);
const stop = () => {
  io.close();
  app.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
