/** `${VAR}` expansion of YAML strings from the process environment, as Rasa does on load. */

const ENV_REFERENCE = /\$\{([^}]*)\}/g;

export interface EnvExpansion {
  value: string;
  /** Variables referenced but not set, in order of first use. */
  missing: string[];
}

/** True when the string contains at least one `${...}` reference. */
export function hasEnvReference(value: string): boolean {
  return value.includes('${') && /\$\{[^}]*\}/.test(value);
}

/**
 * Replaces every `${NAME}` in `value` with the variable's value. Unset variables are reported in
 * `missing` (and left in place) so the caller can name them all in one error.
 *
 * @example expandEnvVariables('http://${HOST}:5055', { HOST: 'actions' }).value === 'http://actions:5055'
 */
export function expandEnvVariables(
  value: string,
  env: Readonly<Record<string, string | undefined>>,
): EnvExpansion {
  const missing: string[] = [];
  const expanded = value.replace(ENV_REFERENCE, (reference, name: string) => {
    const variable = env[name.trim()];
    if (variable === undefined) {
      if (!missing.includes(name)) missing.push(name);
      return reference;
    }
    return variable;
  });
  return { value: expanded, missing };
}
