/** A real HTTP receiver on 127.0.0.1:0 that records the callback POSTs it gets. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface Receiver {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** `answer` picks the status for each request (by its index); `hang` paths never answer. */
export async function startReceiver(
  options: { answer?: (index: number) => number; hang?: (url: URL) => boolean } = {},
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://receiver');
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: request.method ?? '', url, headers: request.headers, body: text ? JSON.parse(text) : null });
      if (options.hang?.(url)) return;
      const status = options.answer?.(requests.length - 1) ?? 200;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status >= 400 ? { error: 'receiver says no' } : { ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on which nothing listens (a port that was just freed). */
export async function deadUrl(): Promise<string> {
  const receiver = await startReceiver();
  await receiver.close();
  return `${receiver.url}/bot`;
}
