/** A loaded Rasa project: config, domain, training data, credentials, endpoints (plain data). */
import type { Domain } from './domain.js';
import type { Story, TrainingData } from './training-data.js';

/** One `pipeline:` or `policies:` entry: `name` plus its options as written. */
export interface ComponentConfig {
  name: string;
  [option: string]: unknown;
}

export interface ModelConfig {
  recipe: string;
  language: string | null;
  assistantId: string | null;
  /** null when config.yml left it empty: the default pipeline applies. */
  pipeline: ComponentConfig[] | null;
  /** null when config.yml left it empty: the default policies apply. */
  policies: ComponentConfig[] | null;
  /** The file's mapping as written (after `${ENV}` expansion). */
  raw: Record<string, unknown>;
}

/** credentials.yml: channel name → its options (null for an empty entry), in file order. */
export type Credentials = Array<{ name: string; options: Record<string, unknown> | null }>;

/** endpoints.yml: top-level key → endpoint options as written. */
export type Endpoints = Record<string, Record<string, unknown> | null>;

export interface ProjectFile {
  /** Path relative to the project root, with `/` separators. */
  path: string;
  /** SHA-256 of the file's bytes. */
  sha256: string;
}

export interface Project {
  root: string;
  config: ModelConfig;
  domain: Domain;
  training: TrainingData;
  testStories: Story[];
  /** Every file that went into training, for the model fingerprint. */
  files: ProjectFile[];
}

/** A problem found in the project; `severity: 'error'` stops training. */
export interface ProjectIssue {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}
