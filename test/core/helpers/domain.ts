/** Test domains: the fixture bots and small domains written as YAML, loaded by the real project loader. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../../../src/project/index.js';
import type { Domain } from '../../../src/shared/domain.js';

export function fixtureBotPath(name: 'moodbot' | 'formbot'): string {
  return fileURLToPath(new URL(`../../../../shared/fixtures/bots/${name}`, import.meta.url));
}

/** The domain of a fixture bot, as `parley` loads it. */
export async function fixtureDomain(name: 'moodbot' | 'formbot'): Promise<Domain> {
  const { project } = await loadProject(fixtureBotPath(name));
  return project.domain;
}

/** Loads a domain written as domain.yml text (a throw-away project around it). */
export async function domainFromYaml(domainYaml: string): Promise<Domain> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'parley-core-domain-'));
  try {
    writeFileSync(path.join(root, 'config.yml'), 'recipe: default.v1\nlanguage: en\nassistant_id: test_bot\n');
    writeFileSync(path.join(root, 'domain.yml'), domainYaml);
    const { project } = await loadProject(root);
    return project.domain;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
