/** Test helpers: fixture bot paths and throw-away projects in temp directories. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { loadProject, ProjectFilesError, type LoadProjectOptions } from '../../src/project/index.js';

export function fixtureBot(name: 'moodbot' | 'formbot'): string {
  return fileURLToPath(new URL(`../../../shared/fixtures/bots/${name}`, import.meta.url));
}

const created: string[] = [];

/** Writes `files` (relative path → content) into a new temp directory and returns its path. */
export function writeProject(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'parley-project-'));
  created.push(root);
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(root, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return root;
}

export function removeProjects(): void {
  for (const root of created.splice(0)) rmSync(root, { recursive: true, force: true });
}

/** A small valid project; override or add files per test. */
export const BASE_FILES: Readonly<Record<string, string>> = {
  'config.yml': 'recipe: default.v1\nlanguage: en\nassistant_id: test_bot\n',
  'domain.yml': [
    'version: "3.1"',
    'intents:',
    '  - greet',
    'responses:',
    '  utter_greet:',
    '  - text: "Hello!"',
    '',
  ].join('\n'),
  'data/nlu.yml': ['version: "3.1"', 'nlu:', '- intent: greet', '  examples: |', '    - hi', '    - hello', ''].join('\n'),
  'data/stories.yml': [
    'version: "3.1"',
    'stories:',
    '- story: greet',
    '  steps:',
    '  - intent: greet',
    '  - action: utter_greet',
    '',
  ].join('\n'),
};

export function project(overrides: Record<string, string | undefined> = {}): string {
  const files: Record<string, string> = { ...BASE_FILES };
  for (const [name, content] of Object.entries(overrides)) {
    if (content === undefined) delete files[name];
    else files[name] = content;
  }
  return writeProject(files);
}

/** Loads a project that must fail and returns the thrown error. */
export async function loadError(root: string, options?: LoadProjectOptions): Promise<ProjectFilesError> {
  const error = await loadProject(root, options).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ProjectFilesError);
  return error as ProjectFilesError;
}
