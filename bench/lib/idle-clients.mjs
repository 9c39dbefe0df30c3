/**
 * A client process for the idle-connection benchmark: opens `--count` socket.io connections to
 * `--url` (websocket transport, each with a confirmed session), prints `connected <n>` and then
 * holds them idle until it is stopped.
 */
import { parseArgs } from 'node:util';
import { io } from 'socket.io-client';

const { values } = parseArgs({ options: { url: { type: 'string' }, count: { type: 'string' }, batch: { type: 'string', default: '200' } } });
const count = Number(values.count);
const batch = Number(values.batch);
const sockets = [];

function connectOne(index) {
  return new Promise((resolveConnect, reject) => {
    const socket = io(values.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    socket.once('connect_error', reject);
    socket.once('session_confirm', () => resolveConnect());
    socket.once('connect', () => socket.emit('session_request', { session_id: `idle-${process.pid}-${index}` }));
  });
}

for (let start = 0; start < count; start += batch) {
  const group = [];
  for (let index = start; index < Math.min(count, start + batch); index += 1) group.push(connectOne(index));
  await Promise.all(group);
}
console.log(`connected ${sockets.length}`);
process.once('SIGTERM', () => {
  for (const socket of sockets) socket.close();
  process.exit(0);
});
setInterval(() => undefined, 60_000);
