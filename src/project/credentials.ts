/** credentials.yml: channel name → options, in file order. */
import type { Credentials } from '../shared/project.js';
import { readOptionsFile, type ChannelFileOptions } from './channel-files.js';

/**
 * Channel options that are flags: "true"/"false" strings become booleans (see
 * `readOptionsFile`). Other strings are kept, e.g. twilio_voice's `enhanced: "true"` is compared
 * as a string by that channel.
 */
export const CREDENTIAL_FLAGS: Readonly<Record<string, readonly string[]>> = {
  socketio: ['session_persistence'],
  slack: ['use_threads'],
};

/**
 * Reads credentials.yml with `${VAR}` expansion. Returns null when the file does not exist (the
 * caller decides what that means); an entry written without options (`rest:`) has `options: null`.
 *
 * @throws ProjectFilesError with located problems when the file is malformed.
 */
export async function loadCredentials(filePath: string, options: ChannelFileOptions = {}): Promise<Credentials | null> {
  const entries = await readOptionsFile(filePath, CREDENTIAL_FLAGS, options);
  return entries === null ? null : entries.map(([name, channelOptions]) => ({ name, options: channelOptions }));
}
