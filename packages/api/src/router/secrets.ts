import { deleteSecret, listSecretNames, putSecret, recordAudit, SecretInputError } from '@dtss/db';
import { badRequest, conflict, notFound } from '../errors';
import { secretsKeyOf } from '../lib/secretsKey';
import { secretsCreate, secretsDelete, secretsUpdate } from '../schemas/access';
import { auditOf, authorId, createTRPCRouter, teamProcedure, type ApiContext } from '../trpc';

async function exists(ctx: ApiContext, teamId: string, name: string): Promise<boolean> {
  return (await listSecretNames(ctx.pool, teamId)).some((s) => s.name === name);
}

async function put(...args: Parameters<typeof putSecret>) {
  try {
    return await putSecret(...args);
  } catch (err) {
    if (err instanceof SecretInputError && err.code === 'exists') {
      throw conflict(`${err.message}: update it instead`);
    }
    if (err instanceof SecretInputError) {
      throw badRequest(err.message, [
        { path: err.code === 'invalid_name' ? 'name' : 'value', message: err.message },
      ]);
    }
    throw err;
  }
}

// Values go in and never come out: no procedure returns one, and audit records name the secret only.
export const secretsRouter = createTRPCRouter({
  list: teamProcedure('viewer').query(({ ctx }) => listSecretNames(ctx.pool, ctx.team.id)),

  create: teamProcedure('admin')
    .input(secretsCreate)
    .mutation(async ({ ctx, input }) => {
      const { id } = await put(ctx.pool, {
        teamId: ctx.team.id,
        name: input.name,
        value: input.value,
        description: input.description ?? null,
        key: secretsKeyOf(ctx),
        userId: authorId(ctx),
        onlyIfNew: true,
      });
      await recordAudit(
        ctx.pool,
        auditOf(ctx, ctx.team.id, 'secret.create', { type: 'secret', id }, { name: input.name }),
      );
      return { id, name: input.name };
    }),

  update: teamProcedure('admin')
    .input(secretsUpdate)
    .mutation(async ({ ctx, input }) => {
      if (!(await exists(ctx, ctx.team.id, input.name))) throw notFound('secret');
      const { id } = await put(ctx.pool, {
        teamId: ctx.team.id,
        name: input.name,
        value: input.value,
        description: input.description ?? null,
        key: secretsKeyOf(ctx),
        userId: authorId(ctx),
      });
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          'secret.update',
          { type: 'secret', id },
          {
            name: input.name,
            descriptionChanged: input.description !== undefined,
          },
        ),
      );
      return { id, name: input.name };
    }),

  delete: teamProcedure('admin')
    .input(secretsDelete)
    .mutation(async ({ ctx, input }) => {
      if (!(await deleteSecret(ctx.pool, ctx.team.id, input.name))) throw notFound('secret');
      await recordAudit(
        ctx.pool,
        auditOf(
          ctx,
          ctx.team.id,
          'secret.delete',
          { type: 'secret', id: null },
          { name: input.name },
        ),
      );
      return { name: input.name, deleted: true };
    }),
});
