/** Loading and validating Rasa 3.x projects: the public surface of `src/project/`. */
export { loadProject, readProject, type LoadProjectOptions, type LoadedProject } from './load-project.js';
export { validateProject } from './validator.js';
export { checkProject, runChecks, type CheckContext } from './validator-checks.js';
export { loadCredentials, CREDENTIAL_FLAGS } from './credentials.js';
export { loadEndpoints, ENDPOINT_FLAGS } from './endpoints.js';
export type { ChannelFileOptions } from './channel-files.js';
export { parseAnnotatedText, stripAnnotations, synonymsFromEntities, type AnnotatedText } from './entities-parser.js';
export { parseIntentShortcut, type IntentShortcut } from './intent-shortcut.js';
export {
  IssueCollector,
  ProjectFilesError,
  PROJECT_WARNING_CODES,
  formatIssue,
  type ProjectWarningCode,
} from './issues.js';
export { LATEST_FORMAT_VERSION } from './format-version.js';
export { readYamlFile, parseYamlText, type YamlFile, type ReadYamlOptions, type EnvScope } from './yaml.js';
export { locate, type DataPath } from './locations.js';
export type { ProjectPathOptions } from './discovery.js';
