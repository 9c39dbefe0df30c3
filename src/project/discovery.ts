/** Finds a project's files: config, domain (file or directory), training data and test stories. */
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { compare } from './domain-serializer.js';

/** Paths that override the defaults, like Rasa's `--config`, `--domain` and `--data` options. */
export interface ProjectPathOptions {
  /** The model configuration. @default 'config.yml' */
  config?: string;
  /** A domain file or a directory of domain files. @default 'domain.yml', else 'domain.yaml', else 'domain/' */
  domain?: string;
  /** Training data files or directories, searched recursively. @default ['data'] */
  data?: readonly string[];
  /** Test stories (`test_*.yml`), a file or directory; `null` reads none. @default 'tests' */
  tests?: string | null;
}

export interface ProjectPaths {
  root: string;
  config: string;
  /** null when no default domain exists (reported by the loader). */
  domain: string | null;
  data: string[];
  tests: string | null;
}

const DEFAULT_DOMAINS = ['domain.yml', 'domain.yaml', 'domain'];

/** Resolves option paths against `root` (absolute paths are kept). */
export async function resolveProjectPaths(root: string, options: ProjectPathOptions = {}): Promise<ProjectPaths> {
  const absolute = (target: string): string => path.resolve(root, target);
  let domain: string | null = options.domain === undefined ? null : absolute(options.domain);
  if (domain === null) {
    for (const candidate of DEFAULT_DOMAINS) {
      if (await exists(absolute(candidate))) {
        domain = absolute(candidate);
        break;
      }
    }
  }
  return {
    root: path.resolve(root),
    config: absolute(options.config ?? 'config.yml'),
    domain,
    data: (options.data ?? ['data']).map(absolute),
    tests: options.tests === null ? null : absolute(options.tests ?? 'tests'),
  };
}

export async function exists(target: string): Promise<boolean> {
  try {
    await stat(target);
    return true;
  } catch {
    return false;
  }
}

export async function isDirectory(target: string): Promise<boolean> {
  try {
    return (await stat(target)).isDirectory();
  } catch {
    return false;
  }
}

/** True for names Rasa treats as YAML candidates. */
export function isYamlName(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

/**
 * Every `.yml`/`.yaml` file under `target` (itself when it is a file): a directory's files in
 * sorted order, then its subdirectories in sorted order. Symlinks are followed once; hidden
 * entries (`.name`) are skipped.
 */
export async function listYamlFiles(target: string): Promise<string[]> {
  if (!(await isDirectory(target))) return (await exists(target)) && isYamlName(target) ? [target] : [];
  const files: string[] = [];
  const visited = new Set<string>();
  const walk = async (directory: string): Promise<void> => {
    const real = await realpath(directory);
    if (visited.has(real)) return;
    visited.add(real);
    const entries = (await readdir(directory)).filter((name) => !name.startsWith('.')).sort(compare);
    const subdirectories: string[] = [];
    for (const name of entries) {
      const full = path.join(directory, name);
      if (await isDirectory(full)) subdirectories.push(full);
      else if (isYamlName(name)) files.push(full);
    }
    for (const subdirectory of subdirectories) await walk(subdirectory);
  };
  await walk(target);
  return files;
}

/** The path shown to users: relative to the project root with `/` separators. */
export function displayPath(root: string, absolute: string): string {
  const relative = path.relative(root, absolute);
  return (relative === '' ? path.basename(absolute) : relative).split(path.sep).join('/');
}

/** How the config file is named in messages, for the given options. */
export function configDisplayPath(root: string, options: ProjectPathOptions = {}): string {
  const absoluteRoot = path.resolve(root);
  return displayPath(absoluteRoot, path.resolve(absoluteRoot, options.config ?? 'config.yml'));
}

/** How the domain (a file or a directory of domain files) is named in messages; null when there is none. */
export async function domainDisplayPath(root: string, options: ProjectPathOptions = {}): Promise<string | null> {
  const paths = await resolveProjectPaths(root, options);
  return paths.domain === null ? null : displayPath(paths.root, paths.domain);
}
