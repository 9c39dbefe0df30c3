/**
 * credentials.yml `socketio: uploads:` — opt-in file uploads for website widgets.
 *
 *     socketio:
 *       uploads:                 # absent, null or false: no uploads (the default)
 *         max_bytes: 5242880     # largest file accepted (default 5 MiB)
 *         types: [image/png, image/jpeg, image/gif, image/webp, application/pdf]   # the default list
 *
 * `uploads: true` turns them on with the defaults. Files are kept under the project's
 * `.parley/uploads/`.
 */
import { ParleyError } from '../errors.js';

export interface UploadSettings {
  /** @default 5242880 */
  maxBytes: number;
  /** Accepted MIME types, lowercase. @default DEFAULT_UPLOAD_TYPES */
  types: readonly string[];
}

export const DEFAULT_UPLOAD_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_UPLOAD_TYPES: readonly string[] = Object.freeze([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
]);

/**
 * Types a browser would run as a page or script when opened from our origin. Refused even when
 * listed: an uploaded page could otherwise act on the server's origin.
 */
const ACTIVE_TYPES = new Set(['text/html', 'application/xhtml+xml', 'image/svg+xml', 'text/javascript', 'application/javascript', 'text/xml', 'application/xml']);

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

function invalid(key: string, expected: string, value: unknown): ParleyError {
  return new ParleyError(
    'PARLEY_ERR_CHANNEL_CONFIG',
    `credentials.yml: option \`uploads.${key}\` of the \`socketio\` channel must be ${expected}, ` +
      `but it is ${JSON.stringify(value)}.`,
  );
}

/** The upload settings, or null when uploads are off. */
export function uploadSettingsFrom(value: unknown): UploadSettings | null {
  if (value === undefined || value === null || value === false) return null;
  if (value === true) return { maxBytes: DEFAULT_UPLOAD_MAX_BYTES, types: DEFAULT_UPLOAD_TYPES };
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ParleyError(
      'PARLEY_ERR_CHANNEL_CONFIG',
      'credentials.yml: option `uploads` of the `socketio` channel must be true, false or a mapping ' +
        `with \`max_bytes\` and \`types\`, but it is ${JSON.stringify(value)}.`,
    );
  }
  const options = value as Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (key !== 'max_bytes' && key !== 'types') throw invalid(key, 'one of `max_bytes`, `types` (unknown option)', options[key]);
  }
  let maxBytes = DEFAULT_UPLOAD_MAX_BYTES;
  if (options.max_bytes !== undefined && options.max_bytes !== null) {
    const number = Number(options.max_bytes);
    if (!Number.isInteger(number) || number <= 0) throw invalid('max_bytes', 'a positive whole number of bytes', options.max_bytes);
    maxBytes = number;
  }
  let types = DEFAULT_UPLOAD_TYPES;
  if (options.types !== undefined && options.types !== null) {
    if (!Array.isArray(options.types) || options.types.length === 0) {
      throw invalid('types', 'a non-empty list of MIME types such as [image/png, image/jpeg]', options.types);
    }
    types = options.types.map((type: unknown) => {
      const lowered = typeof type === 'string' ? type.trim().toLowerCase() : '';
      if (!MIME_TYPE.test(lowered)) throw invalid('types', 'a list of MIME types such as image/png', type);
      if (ACTIVE_TYPES.has(lowered)) {
        throw invalid('types', `free of types a browser runs as a page or script (${lowered} could attack visitors)`, type);
      }
      return lowered;
    });
  }
  return { maxBytes, types };
}

/** Leading bytes of the types we can recognise; a file of such a type must start with them. */
const SIGNATURES: Record<string, (bytes: Buffer) => boolean> = {
  'image/png': (bytes) => bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (bytes) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff,
  'image/gif': (bytes) => ['GIF87a', 'GIF89a'].includes(bytes.subarray(0, 6).toString('latin1')),
  'image/webp': (bytes) => bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP',
  'application/pdf': (bytes) => bytes.subarray(0, 5).toString('latin1') === '%PDF-',
};

/** Whether the content fits its declared type (types we cannot recognise are taken on trust). */
export function contentMatchesType(bytes: Buffer, type: string): boolean {
  const check = SIGNATURES[type];
  return check ? check(bytes) : true;
}
