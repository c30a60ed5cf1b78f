// Teams are chosen by slug on the command line (`--team`, default the seeded `demo`).
import type { Pool } from '@dtss/db';
import { CliError } from '../format/cliError';

export async function findTeamId(pool: Pool, slug: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM teams WHERE slug = $1', [slug]);
  if (rows[0]) return rows[0].id;
  const known = await pool.query<{ slug: string }>('SELECT slug FROM teams ORDER BY slug LIMIT 20');
  const list = known.rows.map((r) => r.slug);
  throw new CliError(
    `unknown team "${slug}"`,
    list.length
      ? [`teams: ${list.join(', ')}`]
      : ['there are no teams yet (`npm start` seeds "demo")'],
  );
}
