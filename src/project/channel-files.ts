/** Shared reading of credentials.yml and endpoints.yml: top-level name → options mapping. */
import path from 'node:path';
import { exists } from './discovery.js';
import { IssueCollector } from './issues.js';
import { fileStart } from './locations.js';
import { optionsByNameSchema } from './schemas/config.js';
import { checkSchema } from './schemas/report.js';
import { isMapping, readYamlFile } from './yaml.js';

export interface ChannelFileOptions {
  /** Variables for `${VAR}` expansion (quoted values are expanded too). @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** How the file is named in messages. @default the path relative to the working directory */
  displayPath?: string;
}

export type OptionsByName = Array<[name: string, options: Record<string, unknown> | null]>;

/**
 * Reads a `name: {options}` file. Returns null when the file does not exist.
 *
 * @throws ProjectFilesError listing every problem (syntax, unset variables, wrong shapes).
 */
export async function readOptionsFile(
  filePath: string,
  booleanKeys: Readonly<Record<string, readonly string[]>>,
  options: ChannelFileOptions,
): Promise<OptionsByName | null> {
  if (!(await exists(filePath))) return null;
  const issues = new IssueCollector();
  const shown = options.displayPath ?? (path.relative(process.cwd(), filePath).split(path.sep).join('/') || filePath);
  const file = await readYamlFile(filePath, shown, issues, { env: options.env, envScope: 'all' });
  let result: OptionsByName | null = null;
  if (file) {
    const data = file.data ?? {};
    if (!isMapping(data)) {
      issues.error('PARLEY_ERR_YAML_SCHEMA', 'The file must be a mapping of names to their options.', fileStart(file));
    } else if (checkSchema(file, data, optionsByNameSchema, issues)) {
      result = Object.entries(data).map(([name, value]) => [
        name,
        // Own keys only: a channel named `__proto__` or `constructor` must not reach Object.prototype.
        value === null ? null : withBooleans(value as Record<string, unknown>, Object.hasOwn(booleanKeys, name) ? booleanKeys[name] : []),
      ]);
    }
  }
  issues.throwIfErrors(`'${shown}'`);
  return result;
}

/**
 * Turns the strings "true"/"false" into booleans for options that are flags. Values from
 * `${VAR}` are always strings, and Python (Rasa) treats the string "false" as true; here the
 * flag means what it says.
 */
function withBooleans(values: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const result = { ...values };
  for (const key of keys) {
    const value = result[key];
    if (typeof value !== 'string') continue;
    const normalized = value.trim().toLowerCase();
    if (normalized === 'true' || normalized === 'false') result[key] = normalized === 'true';
  }
  return result;
}
