/**
 * A deliberately dumb HTTP/1.1 client over a plain TCP socket: it sends exactly the bytes it is
 * given (invalid UTF-8, control characters, odd methods), so the fuzz tests reach the server's
 * parser and not a client library's validation.
 */
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  /** The request target exactly as written on the request line (already escaped or not). */
  target: string | Buffer;
  headers?: Array<[string, string]>;
  body?: Buffer | string;
  /** Send the body with `Transfer-Encoding: chunked` instead of `Content-Length`. */
  chunked?: boolean;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The bytes of one request; `Connection: close` so the response ends with the socket. */
export function encodeRequest(request: RawRequest, host: string): Buffer {
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  const lines: Buffer[] = [Buffer.from(`${request.method} `, 'latin1'), Buffer.isBuffer(request.target) ? request.target : Buffer.from(request.target, 'utf8'), Buffer.from(' HTTP/1.1\r\n', 'latin1')];
  const headers: Array<[string, string]> = [['host', host], ['connection', 'close'], ...(request.headers ?? [])];
  if (request.chunked) headers.push(['transfer-encoding', 'chunked']);
  else if (request.body !== undefined) headers.push(['content-length', String(body.length)]);
  for (const [name, value] of headers) lines.push(Buffer.from(`${name}: ${value}\r\n`, 'latin1'));
  lines.push(Buffer.from('\r\n', 'latin1'));
  if (request.chunked) {
    for (let start = 0; start < body.length; start += 16_384) {
      const chunk = body.subarray(start, start + 16_384);
      lines.push(Buffer.from(`${chunk.length.toString(16)}\r\n`, 'latin1'), chunk, Buffer.from('\r\n', 'latin1'));
    }
    lines.push(Buffer.from('0\r\n\r\n', 'latin1'));
  } else {
    lines.push(body);
  }
  return Buffer.concat(lines);
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset, 'latin1');
    if (lineEnd < 0) break;
    const size = Number.parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** Parses a complete HTTP/1.1 response; null when the server closed without one. */
export function parseResponse(bytes: Buffer): RawResponse | null {
  // `Expect: 100-continue` gets an interim `100 Continue` first; the answer is what follows.
  while (/^HTTP\/1\.[01] 1\d\d /.test(bytes.subarray(0, 16).toString('latin1'))) {
    const end = bytes.indexOf('\r\n\r\n', 0, 'latin1');
    if (end < 0) return null;
    bytes = bytes.subarray(end + 4);
  }
  const headerEnd = bytes.indexOf('\r\n\r\n', 0, 'latin1');
  if (headerEnd < 0) return null;
  const [statusLine, ...headerLines] = bytes.subarray(0, headerEnd).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!match) return null;
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = bytes.subarray(headerEnd + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
  return { status: Number(match[1]), headers, body };
}

/**
 * Sends one request to `127.0.0.1:port` and reads the whole response. Rejects when the server
 * closes without answering or does not answer within `timeoutMs`.
 */
export function sendRaw(port: number, request: RawRequest, timeoutMs = 20_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined); // a reset after the answer is fine; no answer is judged below
    socket.on('close', () => {
      clearTimeout(timer);
      const response = parseResponse(Buffer.concat(chunks));
      if (response) resolve(response);
      else reject(new Error(`the server closed the connection without an answer (${Buffer.concat(chunks).length} bytes received)`));
    });
    socket.write(encodeRequest(request, `127.0.0.1:${port}`));
  });
}
