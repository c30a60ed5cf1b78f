/**
 * Keys a single-machine install needs but nobody should have to invent: kept in `.dtss/` (mode 600)
 * and reused on later starts. Production sets them as env vars instead.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function loadOrCreateKey(home: string, file: string, bytes = 32): string {
  const full = path.join(home, file);
  if (existsSync(full)) return readFileSync(full, 'utf8').trim();
  mkdirSync(home, { recursive: true });
  const key = randomBytes(bytes).toString('base64');
  writeFileSync(full, `${key}\n`, { mode: 0o600 });
  return key;
}
