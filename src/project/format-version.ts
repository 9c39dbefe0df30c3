/** The `version:` rule of Rasa training-data and domain files (current format: "3.1"). */
import type { IssueCollector } from './issues.js';
import { locate } from './locations.js';
import type { YamlFile } from './yaml.js';

export const LATEST_FORMAT_VERSION = '3.1';

/**
 * Checks a file's top-level `version`. Returns false when the file must be skipped (a newer
 * format than 3.1, as Rasa does); older, missing or unreadable versions are read as 3.1.
 */
export function acceptsFormatVersion(
  file: YamlFile,
  data: Record<string, unknown>,
  issues: IssueCollector,
): boolean {
  const raw = data.version;
  if (raw === undefined || raw === null || raw === '') return true;
  const where = locate(file, ['version']);
  const parsed = typeof raw === 'string' ? parseVersion(raw.trim().replace(/^["']|["']$/g, '')) : null;
  if (parsed === null) {
    issues.warn(
      'PARLEY_WARN_FORMAT_VERSION',
      `The 'version' should be a quoted string such as "${LATEST_FORMAT_VERSION}", not ${JSON.stringify(raw)}; ` +
        `the file is read as version ${LATEST_FORMAT_VERSION}.`,
      where,
    );
    return true;
  }
  const comparison = compareVersions(parsed, parseVersion(LATEST_FORMAT_VERSION)!);
  if (comparison > 0) {
    issues.warn(
      'PARLEY_WARN_FILE_SKIPPED',
      `The file declares format version ${raw}, newer than the ${LATEST_FORMAT_VERSION} this ` +
        'version of Parley (like Rasa 3.x) understands, so the whole file is skipped.',
      where,
    );
    return false;
  }
  if (comparison < 0) {
    issues.warn(
      'PARLEY_WARN_FORMAT_VERSION',
      `The file declares format version ${raw}, older than ${LATEST_FORMAT_VERSION}; it is read ` +
        `as a ${LATEST_FORMAT_VERSION} file. Update its 'version' to "${LATEST_FORMAT_VERSION}".`,
      where,
    );
  }
  return true;
}

function parseVersion(text: string): number[] | null {
  if (!/^\d+(\.\d+)*$/.test(text)) return null;
  return text.split('.').map(Number);
}

function compareVersions(a: number[], b: number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}
