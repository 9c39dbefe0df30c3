/** Lets a forked server report its memory after a full GC (run it with --expose-gc). */
import { readFileSync } from 'node:fs';

/** RSS from /proc (what the kernel charges), falling back to Node's figure. */
function rssBytes() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status);
    if (kb) return Number(kb[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss;
}

export function answerMemoryRequests() {
  if (!process.send) return;
  process.on('message', (message) => {
    if (message?.type !== 'memory') return;
    for (let pass = 0; pass < 3; pass += 1) globalThis.gc?.();
    const usage = process.memoryUsage();
    process.send({
      type: 'memory',
      rss: rssBytes(),
      heapUsed: usage.heapUsed,
      external: usage.external,
      arrayBuffers: usage.arrayBuffers,
      gc: typeof globalThis.gc === 'function',
    });
  });
}
