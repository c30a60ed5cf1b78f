/**
 * First-start data: a demo team, its admin (random password, returned once for the console, stored
 * only as a hash), an admin API token for the CLI (also returned once, stored as its sha256) and
 * the example workflows. Runs once per database: a second start finds the team
 * and does nothing, so user changes are never overwritten.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseWorkflowText } from '@dtss/core';
import { generatePassword, hashPassword } from '../auth/password';
import { createPrismaClient } from '../client';
import { API_TOKEN_SHOWN_CHARS, generateApiToken, hashApiToken } from '../operations/tokens';
import { saveWorkflowVersion } from '../operations/workflows';

export const DEMO_TEAM_SLUG = 'demo';
export const DEMO_ADMIN_EMAIL = 'admin@dtss.local';
const SEED_LOCK = 727073691;

export type SeedResult =
  | { created: false }
  | {
      created: true;
      adminEmail: string;
      adminPassword: string;
      /** An admin API token of the demo team, for `dtss login`. */
      apiToken: string;
      workflows: string[];
    };

export async function seedDemoData(
  databaseUrl: string,
  opts: { examplesDir: string; adminPassword?: string },
): Promise<SeedResult> {
  const prisma = createPrismaClient(databaseUrl, { max: 2, applicationName: 'dtss-seed' });
  try {
    const password = opts.adminPassword ?? generatePassword();
    const passwordHash = await hashPassword(password);
    const apiToken = generateApiToken();
    const created = await prisma.$transaction(async (tx) => {
      // Two launchers starting at once against one database seed once.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK})`;
      if (await tx.team.findUnique({ where: { slug: DEMO_TEAM_SLUG } })) return null;
      const team = await tx.team.create({ data: { slug: DEMO_TEAM_SLUG, name: 'Demo team' } });
      const user = await tx.user.upsert({
        where: { email: DEMO_ADMIN_EMAIL },
        create: { email: DEMO_ADMIN_EMAIL, name: 'Demo admin', passwordHash },
        update: { passwordHash },
      });
      await tx.membership.create({ data: { teamId: team.id, userId: user.id, role: 'owner' } });
      await tx.apiToken.create({
        data: {
          teamId: team.id,
          name: 'cli (first start)',
          tokenHash: hashApiToken(apiToken),
          prefix: apiToken.slice(0, API_TOKEN_SHOWN_CHARS),
          role: 'admin',
          createdById: user.id,
        },
      });
      return { teamId: team.id, userId: user.id };
    });
    if (!created) return { created: false };

    const workflows: string[] = [];
    for (const file of exampleFiles(opts.examplesDir)) {
      const parsed = parseWorkflowText(readFileSync(file, 'utf8'), { filename: file });
      if (!parsed.ok) {
        const errors = parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
        throw new Error(`example ${path.basename(file)} does not validate: ${errors}`);
      }
      await saveWorkflowVersion(prisma, {
        teamId: created.teamId,
        definition: parsed.workflow,
        createdById: created.userId,
      });
      workflows.push(parsed.workflow.name);
    }
    return {
      created: true,
      adminEmail: DEMO_ADMIN_EMAIL,
      adminPassword: password,
      apiToken,
      workflows,
    };
  } finally {
    await prisma.$disconnect();
  }
}

function exampleFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/i.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}
