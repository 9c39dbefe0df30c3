/** Loads a Rasa 3.x project directory into a `Project`, reporting every problem at once. */
import type { SlotType } from '../shared/domain.js';
import type { Project, ProjectFile, ProjectIssue } from '../shared/project.js';
import type { Rule, Story, StoryStep } from '../shared/training-data.js';
import { readModelConfig } from './config-reader.js';
import {
  configDisplayPath,
  domainDisplayPath,
  displayPath,
  exists,
  isDirectory,
  listYamlFiles,
  resolveProjectPaths,
  type ProjectPathOptions,
  type ProjectPaths,
} from './discovery.js';
import { buildDomain } from './domain-builder.js';
import { mergeDomainParts, type DomainPart } from './domain-merge.js';
import { compare } from './domain-serializer.js';
import { acceptsFormatVersion } from './format-version.js';
import { IssueCollector } from './issues.js';
import { fileStart } from './locations.js';
import { NluCollector, readNluFile } from './nlu-reader.js';
import { DOMAIN_KEYS, domainSchema } from './schemas/domain.js';
import { checkSchema } from './schemas/report.js';
import { nluFileSchema, storiesFileSchema } from './schemas/training-data.js';
import { readStoryFile } from './story-reader.js';
import { runChecks } from './validator-checks.js';
import { isMapping, readYamlFile, type EnvScope, type YamlFile } from './yaml.js';

export interface LoadProjectOptions extends ProjectPathOptions {
  /** Variables for `${VAR}` expansion. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Also run the validator's checks (unknown intents/actions/forms/slots in stories, ...); their
   * errors then fail the load, as `rasa train` does. @default false
   */
  validate?: boolean;
}

export interface LoadedProject {
  project: Project;
  warnings: ProjectIssue[];
}

/**
 * Reads config, domain, training data and test stories of the project at `root`.
 *
 * @throws ProjectFilesError (a `ParleyAggregateError`) listing every error with file:line:column.
 */
export async function loadProject(root: string, options: LoadProjectOptions = {}): Promise<LoadedProject> {
  const issues = new IssueCollector();
  const project = await readProject(root, options, issues);
  if (project && options.validate && !issues.hasErrors) {
    runChecks(project, { configFile: configDisplayPath(root, options), domainFile: (await domainDisplayPath(root, options)) ?? undefined }, issues);
  }
  issues.throwIfErrors(`the project at ${root}`);
  return { project: project!, warnings: issues.warnings };
}

interface StoryFile {
  file: YamlFile;
  data: Record<string, unknown>;
  isTestFile: boolean;
}

/**
 * Reads the project, recording problems in `issues` instead of throwing. Returns null only when
 * the project cannot be assembled at all (no usable config or domain); otherwise a project that
 * may be incomplete if `issues` holds errors.
 */
export async function readProject(root: string, options: LoadProjectOptions, issues: IssueCollector): Promise<Project | null> {
  const paths = await resolveProjectPaths(root, options);
  const files = new Map<string, YamlFile | null>();
  const trainingFiles = new Set<YamlFile>();
  const read: Reader = async (absPath, envScope, role = 'training') => {
    if (!files.has(absPath)) {
      files.set(absPath, await readYamlFile(absPath, displayPath(paths.root, absPath), issues, { env: options.env, envScope }));
    }
    const file = files.get(absPath) ?? null;
    if (file && role === 'training') trainingFiles.add(file);
    return file;
  };

  const config = await readConfig(paths, read, issues);
  const domainParts = await readDomainFiles(paths, read, issues);
  const nlu = new NluCollector();
  const storyFiles: StoryFile[] = [];
  await readDataFiles(paths, read, issues, nlu, storyFiles);
  await readTestFiles(paths, read, issues, storyFiles);
  if (!config || !domainParts) return null;

  const merged = mergeDomainParts(domainParts, issues);
  const slotType = (name: string): { type: SlotType; influenceConversation: boolean } | undefined => {
    const raw = merged.slots.get(name)?.value;
    if (!raw) return undefined;
    const type = raw.type as SlotType;
    return { type, influenceConversation: (raw.influence_conversation as boolean | undefined) ?? type !== 'any' };
  };
  const stories: Story[] = [];
  const rules: Rule[] = [];
  const testStories: Story[] = [];
  for (const { file, data, isTestFile } of storyFiles) {
    const content = readStoryFile(file, data, { isTestFile, slotType }, issues);
    if (isTestFile) testStories.push(...content.stories);
    else {
      stories.push(...content.stories);
      rules.push(...content.rules);
    }
  }

  const domain = buildDomain(
    { merged, nluResponses: nlu.responses, retrievalIntents: nlu.retrievalIntents(), botTexts: botTexts([...stories, ...rules]) },
    issues,
  );
  const fingerprinted: ProjectFile[] = [...trainingFiles]
    .map((file) => ({ path: file.path, sha256: file.sha256 }))
    .sort((a, b) => compare(a.path, b.path));
  return {
    root: paths.root,
    config,
    domain,
    training: { nlu: nlu.toNluData(), stories, rules },
    testStories,
    files: fingerprinted,
  };
}

/** Reads (once) a file; `role: 'test'` keeps it out of the training fingerprint. */
type Reader = (absPath: string, envScope: EnvScope, role?: 'training' | 'test') => Promise<YamlFile | null>;

async function readConfig(paths: ProjectPaths, read: Reader, issues: IssueCollector) {
  if (!(await exists(paths.config))) {
    issues.error(
      'PARLEY_ERR_FILE_NOT_FOUND',
      `The config file '${displayPath(paths.root, paths.config)}' does not exist. Use --config to point at your config file.`,
    );
    return null;
  }
  const file = await read(paths.config, 'all');
  return file ? readModelConfig(file, issues) : null;
}

/** The domain files as schema-checked parts; null when there is no domain at all. */
async function readDomainFiles(paths: ProjectPaths, read: Reader, issues: IssueCollector): Promise<DomainPart[] | null> {
  if (paths.domain === null || !(await exists(paths.domain))) {
    const shown = paths.domain === null ? "'domain.yml' or a 'domain/' directory" : `'${displayPath(paths.root, paths.domain)}'`;
    issues.error('PARLEY_ERR_FILE_NOT_FOUND', `No domain found: ${shown} does not exist. Use --domain to point at your domain.`);
    return null;
  }
  const fromDirectory = await isDirectory(paths.domain);
  const parts: DomainPart[] = [];
  for (const absPath of fromDirectory ? await listYamlFiles(paths.domain) : [paths.domain]) {
    const file = await read(absPath, 'plain');
    if (!file) continue;
    const data = topLevelMapping(file, issues);
    if (!data) continue;
    // Inside a domain directory only files with domain keys count, as in Rasa.
    if (fromDirectory && !DOMAIN_KEYS.some((key) => key in data)) continue;
    if (!acceptsFormatVersion(file, data, issues)) continue;
    const checked = checkSchema(file, data, domainSchema, issues);
    if (checked) parts.push({ file, data });
  }
  return parts;
}

async function readDataFiles(
  paths: ProjectPaths,
  read: Reader,
  issues: IssueCollector,
  nlu: NluCollector,
  storyFiles: StoryFile[],
): Promise<void> {
  const seen = new Set<string>();
  for (const dataPath of paths.data) {
    if (!(await exists(dataPath))) {
      const shown = displayPath(paths.root, dataPath);
      issues.warn('PARLEY_WARN_FILE_SKIPPED', `The training data path '${shown}' does not exist; no training data is read from it.`);
      continue;
    }
    for (const absPath of await listYamlFiles(dataPath)) {
      if (seen.has(absPath)) continue;
      seen.add(absPath);
      const file = await read(absPath, 'plain');
      const data = file ? topLevelMapping(file, issues) : null;
      if (!file || !data) continue;
      const isNlu = 'nlu' in data || 'responses' in data;
      const isStories = 'stories' in data || 'rules' in data;
      if (!isNlu && !isStories) {
        const domainKeys = DOMAIN_KEYS.filter((key) => key in data);
        issues.warn(
          'PARLEY_WARN_FILE_SKIPPED',
          domainKeys.length > 0
            ? `This file has domain keys (${domainKeys.join(', ')}) but sits with the training data, where only ` +
                "'nlu', 'responses', 'stories' and 'rules' are read. Move them to the domain."
            : "This file has none of the keys 'nlu', 'responses', 'stories' or 'rules' and is not used.",
          fileStart(file),
        );
        continue;
      }
      if (!acceptsFormatVersion(file, data, issues)) continue;
      if (isNlu && checkSchema(file, data, nluFileSchema, issues, 'PARLEY_ERR_YAML_SCHEMA')) {
        readNluFile(file, data, nlu, issues);
      }
      if (isStories && checkSchema(file, data, storiesFileSchema, issues, 'PARLEY_ERR_YAML_SCHEMA')) {
        storyFiles.push({ file, data, isTestFile: false });
      }
    }
  }
}

async function readTestFiles(paths: ProjectPaths, read: Reader, issues: IssueCollector, storyFiles: StoryFile[]): Promise<void> {
  if (paths.tests === null || !(await exists(paths.tests))) return;
  for (const absPath of await listYamlFiles(paths.tests)) {
    const name = absPath.split(/[\\/]/).pop() ?? '';
    if (!name.startsWith('test_')) continue;
    const file = await read(absPath, 'plain', 'test');
    const data = file ? topLevelMapping(file, issues) : null;
    if (!file || !data || !('stories' in data || 'rules' in data)) continue;
    if (!acceptsFormatVersion(file, data, issues)) continue;
    if (checkSchema(file, data, storiesFileSchema, issues)) storyFiles.push({ file, data, isTestFile: true });
  }
}

/** The file's top-level mapping (`{}` for an empty file); null (with an error) otherwise. */
function topLevelMapping(file: YamlFile, issues: IssueCollector): Record<string, unknown> | null {
  const data = file.data ?? {};
  if (isMapping(data)) return data;
  issues.error(
    'PARLEY_ERR_YAML_SCHEMA',
    `The file must be a mapping of keys (such as 'nlu:', 'stories:' or 'intents:') at its top level, but it is ${Array.isArray(data) ? 'a list' : 'a single value'}.`,
    fileStart(file),
  );
  return null;
}

function botTexts(blocks: ReadonlyArray<Story | Rule>): string[] {
  const texts = new Set<string>();
  const visit = (step: StoryStep): void => {
    if (step.kind === 'bot') texts.add(step.text);
    else if (step.kind === 'or') step.alternatives.forEach(visit);
  };
  for (const block of blocks) block.steps.forEach(visit);
  return [...texts];
}
