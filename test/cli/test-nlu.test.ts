/** `parley train nlu` and `parley test nlu` through the CLI's entry point (in-process). */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliOutput } from '../../src/cli/output.js';

const MOODBOT = fileURLToPath(new URL('../../../shared/fixtures/bots/moodbot/', import.meta.url));

async function cli(args: string[]) {
  const lines: string[] = [];
  const output: CliOutput = {
    info: (message) => lines.push(message),
    warn: (message) => lines.push(`Warning: ${message}`),
    error: (message) => lines.push(`Error: ${message}`),
    progress: (event) => lines.push(`[${event.stage}] ${event.message}`),
  };
  process.exitCode = undefined;
  await main(['node', 'parley', ...args], output);
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { code, text: lines.join('\n') };
}

let project: string;
beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'parley-cli-nlu-'));
  mkdirSync(join(project, 'data'));
  copyFileSync(join(MOODBOT, 'config.yml'), join(project, 'config.yml'));
  copyFileSync(join(MOODBOT, 'domain.yml'), join(project, 'domain.yml'));
  copyFileSync(join(MOODBOT, 'data', 'nlu.yml'), join(project, 'data', 'nlu.yml'));
  const trained = await cli(['train', 'nlu', '--project', project, '--fixed-model-name', 'mood-nlu']);
  expect(trained.code, trained.text).toBe(0);
}, 60_000);
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('parley train nlu', () => {
  it('trains an NLU-only archive with progress lines', async () => {
    expect(existsSync(join(project, 'models', 'mood-nlu.tar.gz'))).toBe(true);
    const again = await cli(['train', 'nlu', '--project', project, '--out', join(project, 'other'), '-u', join(project, 'data', 'nlu.yml')]);
    expect(again.code, again.text).toBe(0);
    expect(again.text).toMatch(/\[nlu:nlu\.DIETClassifier\] Training DIETClassifier/);
    expect(again.text).toMatch(/Trained NLU model: .*other\/nlu-.*\.tar\.gz/);
  });

  it('names a missing config file', async () => {
    const result = await cli(['train', 'nlu', '--project', project, '-c', join(project, 'nope.yml')]);
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/config file 'nope\.yml' does not exist/);
  });
});

describe('parley test nlu', () => {
  it('evaluates the newest model on the NLU data and prints Rasa\'s scores', async () => {
    const result = await cli(['test', 'nlu', '--project', project, '--out', 'results', '--successes']);
    expect(result.code, result.text).toBe(0);
    expect(result.text).toMatch(/Intent evaluation results \(68 examples\):\n\tF1-Score: {2}\d\.\d{3}\n\tPrecision: \d\.\d{3}\n\tAccuracy: {2}\d\.\d{3}/);
    expect(result.text).toContain('[nlu-test:parse] Parsing test example 1 of 68');
    expect(readdirSync(join(project, 'results'))).toEqual(expect.arrayContaining(['intent_report.json', 'intent_successes.json', 'nlu_report.html']));
  });

  it('cross-validates the config with --cross-validation and prints mean (std) per fold metric', async () => {
    const result = await cli(['test', 'nlu', '--project', project, '--cross-validation', '-f', '2', '--out', 'cv', '--no-plot']);
    expect(result.code, result.text).toBe(0);
    expect(result.text).toContain('CV evaluation (n=2)');
    expect(result.text).toMatch(/\ttest F1-score: \d\.\d{3} \(\d\.\d{3}\)/);
    expect(readdirSync(join(project, 'cv'))).toContain('intent_report.json');
    expect(readdirSync(join(project, 'cv'))).not.toContain('nlu_report.html');
  }, 30_000);

  it('names a missing test file, a bad --folds and an unknown flag', async () => {
    const missing = await cli(['test', 'nlu', '--project', project, '--nlu', 'missing.yml']);
    expect(missing.code).toBe(1);
    expect(missing.text).toMatch(/NLU test data 'missing\.yml' does not exist/);
    const folds = await cli(['test', 'nlu', '--project', project, '--cross-validation', '--folds', 'many']);
    expect(folds.code).toBe(1);
    expect(folds.text).toMatch(/--folds must be a whole number of at least 2, not 'many'/);
    const unknown = await cli(['test', 'nlu', '--bogus']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.text).toMatch(/unknown option '--bogus'/);
  });

  it('compares several configs (Rasa\'s comparison mode) into results.json and run folders', async () => {
    const light = (classifier: string) => `language: en\npipeline:\n- name: WhitespaceTokenizer\n- name: CountVectorsFeaturizer\n- name: ${classifier}\n`;
    writeFileSync(join(project, 'logistic.yml'), light('LogisticRegressionClassifier'));
    writeFileSync(join(project, 'keyword.yml'), light('KeywordIntentClassifier'));
    const result = await cli(['test', 'nlu', '--project', project, '--config', 'logistic.yml', 'keyword.yml', '--runs', '1', '--percentages', '0', '50', '--out', 'compare']);
    expect(result.code, result.text).toBe(0);
    expect(result.text).toMatch(/Compared 2 configs over 1 runs/);
    const f1 = JSON.parse(readFileSync(join(project, 'compare', 'results.json'), 'utf8'));
    expect(Object.keys(f1)).toEqual(['logistic', 'keyword']);
    expect(f1.logistic).toHaveLength(1);
    expect(f1.logistic[0]).toHaveLength(2);
    expect(existsSync(join(project, 'compare', 'run_1', 'test.yml'))).toBe(true);
    expect(existsSync(join(project, 'compare', 'run_1', '50%_exclusion', 'logistic_report', 'intent_report.json'))).toBe(true);
    expect(existsSync(join(project, 'compare', 'nlu_model_comparison.html'))).toBe(true);
    const bad = await cli(['test', 'nlu', '--project', project, '--config', 'logistic.yml', 'keyword.yml', '--percentages', '120']);
    expect(bad.code).toBe(1);
    expect(bad.text).toMatch(/--percentages takes whole numbers from 0 to 99, not '120'/);
  }, 30_000);

  it('refuses to test the stories of an NLU-only model with `test core`', async () => {
    const result = await cli(['test', 'core', '--project', project]);
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/has no dialogue part/);
  });
});
