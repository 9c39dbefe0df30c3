/**
 * File attachments: a Parley server with uploads on announces them after each `session_confirm`
 * with a `parley_uploads` event `{max_bytes, types}` (other servers never do, so the widget shows
 * no attach button there). The widget uploads one file as the raw request body to
 * `…/webhooks/socketio/uploads` and gets back the `{url, type, name, size}` that goes into the
 * user message's metadata.
 */
import type { Attachment } from './transcript.js';

/** What the server accepts. */
export interface UploadConfig {
  maxBytes: number;
  types: readonly string[];
}

export function uploadsUrl(serverUrl: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/webhooks/socketio/uploads`;
}

/** The settings of a `parley_uploads` payload, or null when it is not a usable one. */
export function uploadConfigFrom(payload: unknown): UploadConfig | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const body = payload as { max_bytes?: unknown; types?: unknown };
  if (typeof body.max_bytes !== 'number' || body.max_bytes <= 0 || !Array.isArray(body.types)) return null;
  const types = body.types.filter((type): type is string => typeof type === 'string').map((type) => type.toLowerCase());
  return types.length === 0 ? null : { maxBytes: body.max_bytes, types };
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** Why the server would refuse `file`, checked before sending it; null when it looks fine. */
export function fileProblem(file: { type: string; size: number }, config: UploadConfig): string | null {
  if (!config.types.includes(file.type.toLowerCase())) return 'This type of file cannot be sent here.';
  if (file.size > config.maxBytes) return `The file is larger than ${sizeText(config.maxBytes)}.`;
  if (file.size === 0) return 'The file is empty.';
  return null;
}

/** Upload `file`; rejects with an Error whose message can be shown to the user. */
export async function uploadFile(serverUrl: string, file: File): Promise<Attachment> {
  let response: Response;
  try {
    response = await fetch(`${uploadsUrl(serverUrl)}?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'content-type': file.type },
      body: file,
    });
  } catch {
    throw new Error('The chat server could not be reached.');
  }
  const body = (await response.json().catch(() => ({}))) as Partial<Attachment> & { message?: unknown };
  if (!response.ok) throw new Error(typeof body.message === 'string' ? body.message : `The server answered ${response.status}.`);
  if (typeof body.url !== 'string' || typeof body.type !== 'string' || typeof body.name !== 'string' || typeof body.size !== 'number') {
    throw new Error('The server gave an unexpected answer.');
  }
  return { url: body.url, type: body.type, name: body.name, size: body.size };
}
