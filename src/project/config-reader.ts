/** Reads config.yml into a `ModelConfig` (recipe, language, assistant id, pipeline, policies). */
import type { ComponentConfig, ModelConfig } from '../shared/project.js';
import type { IssueCollector } from './issues.js';
import { fileStart, locate } from './locations.js';
import { configSchema } from './schemas/config.js';
import { checkSchema } from './schemas/report.js';
import { isMapping, type YamlFile } from './yaml.js';

export const DEFAULT_RECIPE = 'default.v1';

/**
 * Builds the model config from a parsed config.yml. An empty or missing `pipeline`/`policies`
 * stays `null` (the default pipeline/policies apply, as in Rasa's auto-config); `[]` stays `[]`.
 * Component names are not checked here: the NLU and policy registries know what exists.
 */
export function readModelConfig(file: YamlFile, issues: IssueCollector): ModelConfig | null {
  const data = file.data ?? {};
  if (!isMapping(data)) {
    issues.error('PARLEY_ERR_CONFIG_INVALID', 'config.yml must be a mapping of keys such as language, pipeline and policies.', fileStart(file));
    return null;
  }
  const checked = checkSchema(file, data, configSchema, issues, 'PARLEY_ERR_CONFIG_INVALID');
  if (!checked) return null;

  let recipe = checked.recipe ?? null;
  if (recipe === null) {
    issues.warn(
      'PARLEY_WARN_CONFIG',
      `The config has no 'recipe'; '${DEFAULT_RECIPE}' is used. Add 'recipe: ${DEFAULT_RECIPE}' to silence this.`,
      fileStart(file),
    );
    recipe = DEFAULT_RECIPE;
  } else if (recipe !== DEFAULT_RECIPE) {
    issues.error(
      'PARLEY_ERR_CONFIG_INVALID',
      `No recipe named '${recipe}' exists. The only available recipe is '${DEFAULT_RECIPE}'.`,
      locate(file, ['recipe']),
    );
  }
  const assistantId = checked.assistant_id;
  return {
    recipe,
    language: checked.language ?? null,
    assistantId: assistantId === null || assistantId === undefined ? null : String(assistantId),
    pipeline: components(checked.pipeline),
    policies: components(checked.policies),
    raw: data,
  };
}

function components(list: Array<{ name: string }> | null | undefined): ComponentConfig[] | null {
  if (list === null || list === undefined) return null;
  return list.map((component) => ({ ...component }));
}
