// A variable must come from `env` or from `secrets`, never both: which one wins would be a guess.
import type { Issue, Path } from '../issue';

export function checkEnvSecretOverlap(
  env: Record<string, string>,
  secrets: Record<string, string>,
  path: Path,
): Issue[] {
  return Object.keys(secrets)
    .filter((name) => Object.hasOwn(env, name))
    .map((name) => ({
      path: [...path, 'secrets', name],
      message: `"${name}" is also set in env (possibly through defaults): take it from env or from a secret, not both`,
    }));
}
