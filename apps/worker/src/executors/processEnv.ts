// The environment a task process starts from. Only a safe base of the worker's own environment is
// passed on: the worker's DATABASE_URL, DTSS_SECRETS_KEY and the like must never reach task code.
const INHERITED = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TEMP',
  'TMP',
  'TERM',
  // pyenv and similar shims find their interpreter through these.
  'PYENV_ROOT',
  'PYENV_VERSION',
];

export function processEnv(
  extra: Record<string, string>,
  parent: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && (INHERITED.includes(name) || name.startsWith('LC_'))) {
      env[name] = value;
    }
  }
  return Object.assign(env, extra);
}
