/**
 * The suite's workload, through the public API only (`@dtss/client` with an API token, signed
 * webhook POSTs): workflows applied as YAML, then runs, events and webhook deliveries submitted
 * on a seeded plan while schedules fire every second. Every shell task appends
 * `<run id> <task> <attempt> <worker> <ok|fail> <epoch ms>` to the suite's side-effect file before it prints
 * its output and exits, and names its attempt and worker in its output, so the checks can compare
 * what ran with what the database accepted.
 */
import { WEBHOOK_DELIVERY_HEADER, webhookHeaders, workflowToYaml } from '@dtss/core';
import { createDtssClient, TRPCClientError, type DtssClient } from '@dtss/client';
import type { Random } from './random';
import { sleep } from './cluster';

/** Worker pools of the suite's workers (checked: no task runs on a worker outside its pool). */
export const POOLS = ['default', 'alpha', 'beta'] as const;

export type SubmissionKind =
  'chain' | 'diamond' | 'fanout' | 'flaky' | 'outputs' | 'sleepy' | 'event' | 'webhook';

export interface PlanItem {
  /** Milliseconds after the workload's start. */
  at: number;
  kind: SubmissionKind;
  seq: number;
  /** sleepy: seconds; event: whether its payload matches the trigger's filter. */
  seconds?: number;
  matching?: boolean;
}

export interface WorkloadScale {
  durationMs: number;
  /** Submissions per second by kind (fan-outs: a count over the whole duration). */
  perSecond: Partial<Record<Exclude<SubmissionKind, 'fanout'>, number>>;
  fanouts: number;
  fanoutWidth: number;
  /** Schedules firing every second (catch-up `all`, overlap `allow_all`). */
  tickSchedules: number;
}

export interface Submission {
  kind: SubmissionKind;
  seq: number;
  /** Runs the answer named (a manual run: one; an event or delivery: one per matching trigger). */
  runIds: string[];
  eventId?: string;
  /** An event whose payload matches the trigger filter (or a webhook delivery). */
  expectsRun?: boolean;
  /** Set when no answer came before the submission's deadline. */
  error?: string;
  tries: number;
}

export interface PreparedWorkload {
  client: DtssClient;
  webhook: { id: string; path: string; secret: string };
  /** The tick schedules' first and last instants (inclusive). */
  ticksFrom: Date;
  ticksTo: Date;
}

const WORKFLOW_DEFAULTS = (effectsFile: string) => ({
  // A lost worker's attempt is retried like a failure; 4 attempts outlast a few faults in a row.
  retries: { maxAttempts: 4, backoff: 'fixed', initialDelay: '1s' },
  timeout: '5m',
  env: { CHAOS_EFFECTS: effectsFile },
});

/**
 * A shell task: `body` may set R=fail. The side effect is appended before the output line and the
 * exit, so a worker dying in between leaves an effect whose attempt must be recorded as lost.
 */
function shellTask(
  body: string,
  extra: { needs?: string[]; pool?: string; env?: Record<string, string> } = {},
  outputExtra = '',
) {
  const command = [
    'W=${TMPDIR##*/}; R=ok',
    'echo "chaos-begin $DTSS_TASK_ID $DTSS_ATTEMPT on $W"',
    body,
    `printf '%s %s %s %s %s %s\\n' "$DTSS_RUN_ID" "$DTSS_TASK_ID" "$DTSS_ATTEMPT" "$W" "$R" "$(date +%s%3N)" >> "$CHAOS_EFFECTS"`,
    `printf '::output:: {"attempt":%s,"worker":"%s"${outputExtra}}\\n' "$DTSS_ATTEMPT" "$W"${outputExtra ? ' "$DTSS_RUN_ID"' : ''}`,
    'echo "chaos-end $DTSS_TASK_ID $DTSS_ATTEMPT $R"',
    '[ "$R" = ok ]',
  ]
    .filter(Boolean)
    .join('\n');
  return {
    kind: 'shell',
    command,
    ...(extra.needs?.length ? { needs: extra.needs } : {}),
    ...(extra.pool ? { pool: extra.pool } : {}),
    ...(extra.env ? { env: extra.env } : {}),
  };
}

const FLAKY =
  'h=$(printf "%s" "$DTSS_RUN_ID.$DTSS_TASK_ID.$DTSS_ATTEMPT" | cksum); h=${h%% *}\n' +
  'if [ $((h % 3)) -eq 0 ]; then R=fail; fi';

export function workflowDocuments(
  effectsFile: string,
  scale: WorkloadScale,
  ticksFrom: Date,
  ticksTo: Date,
): Record<string, unknown>[] {
  const defaults = WORKFLOW_DEFAULTS(effectsFile);
  const pad = (i: number) => String(i).padStart(3, '0');
  const fan = Array.from({ length: scale.fanoutWidth }, (_, i) => `f${pad(i + 1)}`);
  const tick = (i: number) => ({
    name: `tick-${i}`,
    cron: '* * * * * *',
    catchup: 'all',
    overlap: 'allow_all',
    startAt: ticksFrom.toISOString(),
    endAt: ticksTo.toISOString(),
  });
  const tickSchedules = Array.from({ length: scale.tickSchedules }, (_, i) => tick(i + 1));
  return [
    {
      name: 'chaos-chain',
      defaults,
      tasks: {
        s1: shellTask('', { pool: 'alpha' }),
        s2: shellTask('', { needs: ['s1'], pool: 'beta' }),
        s3: shellTask('', { needs: ['s2'] }),
        s4: shellTask('', { needs: ['s3'], pool: 'alpha' }),
        s5: shellTask('', { needs: ['s4'], pool: 'beta' }),
      },
    },
    {
      name: 'chaos-diamond',
      defaults,
      tasks: {
        top: shellTask(''),
        left: shellTask('', { needs: ['top'], pool: 'alpha' }),
        right: shellTask('', { needs: ['top'], pool: 'beta' }),
        bottom: shellTask('', { needs: ['left', 'right'] }),
      },
    },
    {
      name: 'chaos-fanout',
      defaults,
      tasks: {
        start: shellTask(''),
        ...Object.fromEntries(fan.map((k) => [k, shellTask('', { needs: ['start'] })])),
        join: shellTask('', { needs: fan }),
      },
    },
    {
      name: 'chaos-flaky',
      description:
        'Each attempt fails with probability 1/3 (decided by a hash of run, task, attempt).',
      defaults,
      tasks: {
        a: shellTask(FLAKY),
        b: shellTask(FLAKY, { needs: ['a'], pool: 'alpha' }),
        c: shellTask(FLAKY, { needs: ['b'], pool: 'beta' }),
      },
    },
    {
      name: 'chaos-outputs',
      defaults,
      tasks: {
        produce: shellTask('', {}, ',"token":"%s-produce"'),
        consume: shellTask(
          '[ "$TOKEN" = "$DTSS_RUN_ID-produce" ] || { echo "wrong token: $TOKEN"; R=fail; }',
          { needs: ['produce'], env: { TOKEN: '{{ tasks.produce.output.token }}' } },
        ),
      },
    },
    {
      name: 'chaos-sleepy',
      defaults,
      params: { seconds: { type: 'integer', minimum: 1, maximum: 60, default: 5 } },
      tasks: {
        nap: shellTask(
          'i=0; while [ $i -lt "$NAP" ]; do echo "tick $i"; sleep 1; i=$((i+1)); done',
          { env: { NAP: '{{ params.seconds }}' } },
        ),
      },
    },
    {
      name: 'chaos-tick',
      defaults,
      schedules: tickSchedules.slice(0, Math.max(1, tickSchedules.length - 1)),
      tasks: { tock: shellTask('') },
    },
    ...(tickSchedules.length > 1
      ? [
          {
            name: 'chaos-tick-b',
            defaults,
            schedules: tickSchedules.slice(-1),
            tasks: { tock: shellTask('', { pool: 'beta' }) },
          },
        ]
      : []),
    {
      name: 'chaos-event',
      defaults,
      params: { order: { type: 'integer' } },
      triggers: [
        {
          name: 'paid-orders',
          event: 'chaos.order',
          filter: { status: 'paid' },
          params: { order: '{{ event.payload.id }}' },
        },
      ],
      tasks: {
        receive: shellTask('echo "order $ORDER"', { env: { ORDER: '{{ params.order }}' } }),
        ack: shellTask('', { needs: ['receive'], pool: 'alpha' }),
      },
    },
    {
      name: 'chaos-hook',
      defaults,
      tasks: { handle: shellTask('') },
    },
  ];
}

/** The submissions of a run, spread over its duration at seeded random times. */
export function planWorkload(scale: WorkloadScale, random: Random): PlanItem[] {
  const items: PlanItem[] = [];
  let seq = 0;
  const spread = (
    kind: SubmissionKind,
    count: number,
    extra: () => Partial<PlanItem> = () => ({}),
  ) => {
    for (let i = 0; i < count; i++)
      items.push({
        at: Math.floor(random.next() * scale.durationMs),
        kind,
        seq: ++seq,
        ...extra(),
      });
  };
  const seconds = scale.durationMs / 1000;
  for (const [kind, rate] of Object.entries(scale.perSecond) as [SubmissionKind, number][]) {
    const count = Math.round(rate * seconds);
    if (kind === 'sleepy') spread(kind, count, () => ({ seconds: random.int(3, 20) }));
    else if (kind === 'event') spread(kind, count, () => ({ matching: random.next() < 0.7 }));
    else spread(kind, count);
  }
  // Fan-outs evenly over the duration (each is a burst of 200 tasks), the first one early.
  for (let i = 0; i < scale.fanouts; i++)
    items.push({
      at: Math.floor(((i + random.between(0.05, 0.6)) * scale.durationMs) / scale.fanouts),
      kind: 'fanout',
      seq: ++seq,
    });
  return items.sort((a, b) => a.at - b.at);
}

const WORKFLOW_OF: Record<Exclude<SubmissionKind, 'event' | 'webhook'>, string> = {
  chain: 'chaos-chain',
  diamond: 'chaos-diamond',
  fanout: 'chaos-fanout',
  flaky: 'chaos-flaky',
  outputs: 'chaos-outputs',
  sleepy: 'chaos-sleepy',
};

/**
 * Applies the workflows and creates the webhook. The workflows with the tick schedules go last,
 * with a start `ticksLeadMs` after that moment (a schedule fires only instants after its
 * creation, so the start must not be past by the time they are stored).
 */
export async function prepareWorkload(opts: {
  webUrl: string;
  token: string;
  effectsFile: string;
  scale: WorkloadScale;
  ticksLeadMs: number;
}): Promise<PreparedWorkload> {
  const client = createDtssClient({ url: opts.webUrl, token: opts.token });
  const apply = (doc: Record<string, unknown>) =>
    withRetry(`apply ${String(doc.name)}`, 60_000, () =>
      client.workflows.applyDefinition.mutate({ text: workflowToYaml(doc) }),
    );
  const placeholder = new Date(0);
  let hookWorkflowId = '';
  for (const doc of workflowDocuments(opts.effectsFile, opts.scale, placeholder, placeholder)) {
    if (doc.schedules) continue;
    const applied = await apply(doc);
    if (doc.name === 'chaos-hook') hookWorkflowId = applied.value.workflowId;
  }
  const created = await withRetry('create the webhook', 60_000, () =>
    client.triggers.createWebhook.mutate({ workflowId: hookWorkflowId, name: 'chaos-hook' }),
  );
  const ticksFrom = new Date(Math.ceil((Date.now() + opts.ticksLeadMs) / 1000) * 1000);
  const ticksTo = new Date(ticksFrom.getTime() + opts.scale.durationMs - 1000);
  for (const doc of workflowDocuments(opts.effectsFile, opts.scale, ticksFrom, ticksTo))
    if (doc.schedules) await apply(doc);
  return {
    client,
    webhook: {
      id: created.value.trigger.id,
      path: created.value.path,
      secret: created.value.secret,
    },
    ticksFrom,
    ticksTo,
  };
}

/**
 * Submits the plan on time (at most `maxInFlight` calls at once; a call that meets an outage
 * retries with the same idempotency key until `retryForMs` has passed).
 */
export async function submitWorkload(opts: {
  prepared: PreparedWorkload;
  webUrl: string;
  plan: PlanItem[];
  startedAt: number;
  retryForMs: number;
  maxInFlight?: number;
  onProgress?: (done: number) => void;
}): Promise<Submission[]> {
  const { client, webhook } = opts.prepared;
  const maxInFlight = opts.maxInFlight ?? 16;
  const results: Submission[] = [];
  const inFlight = new Set<Promise<void>>();
  for (const item of opts.plan) {
    const wait = opts.startedAt + item.at - Date.now();
    if (wait > 0) await sleep(wait);
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const p = submitOne(client, opts.webUrl, webhook, item, opts.retryForMs).then((s) => {
      results.push(s);
      opts.onProgress?.(results.length);
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }
  await Promise.all(inFlight);
  return results.sort((a, b) => a.seq - b.seq);
}

async function submitOne(
  client: DtssClient,
  webUrl: string,
  webhook: PreparedWorkload['webhook'],
  item: PlanItem,
  retryForMs: number,
): Promise<Submission> {
  const base = { kind: item.kind, seq: item.seq };
  try {
    if (item.kind === 'event') {
      const r = await withRetry(`event ${item.seq}`, retryForMs, () =>
        client.events.publish.mutate({
          name: 'chaos.order',
          payload: { id: item.seq, status: item.matching ? 'paid' : 'pending' },
          idempotencyKey: `chaos-order-${item.seq}`,
        }),
      );
      return {
        ...base,
        runIds: r.value.runs.map((run) => run.runId),
        eventId: r.value.event.id,
        expectsRun: !!item.matching,
        tries: r.tries,
      };
    }
    if (item.kind === 'webhook') {
      // One signature for every try: a retry is the same delivery, deduplicated by its id.
      const body = JSON.stringify({ delivery: item.seq });
      const headers = {
        'content-type': 'application/json',
        ...(await webhookHeaders(webhook.secret, body)),
        [WEBHOOK_DELIVERY_HEADER]: `chaos-${item.seq}`,
      };
      const r = await withRetry(`webhook ${item.seq}`, retryForMs, async () => {
        const res = await fetch(`${webUrl}${webhook.path}`, { method: 'POST', headers, body });
        if (res.status !== 202) throw new HttpStatusError(res.status, await res.text());
        return (await res.json()) as { eventId: string; runs: { id: string }[] };
      });
      return {
        ...base,
        runIds: r.value.runs.map((run) => run.id),
        eventId: r.value.eventId,
        expectsRun: true,
        tries: r.tries,
      };
    }
    const r = await withRetry(`${item.kind} ${item.seq}`, retryForMs, () =>
      client.runs.trigger.mutate({
        workflow: WORKFLOW_OF[item.kind as keyof typeof WORKFLOW_OF],
        params: item.kind === 'sleepy' ? { seconds: item.seconds } : {},
        idempotencyKey: `chaos-${item.seq}`,
      }),
    );
    return { ...base, runIds: [r.value.run.id], tries: r.tries };
  } catch (err) {
    return { ...base, runIds: [], error: (err as Error).message, tries: 0 };
  }
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 200)}`);
  }
}

/** Whether a failed call may succeed later: the server or the network, not the request. */
function retryable(err: unknown): boolean {
  if (err instanceof HttpStatusError) return err.status >= 500 || err.status === 429;
  if (err instanceof TRPCClientError) {
    const status = (err.data as { httpStatus?: number } | undefined)?.httpStatus;
    return status === undefined || status >= 500 || status === 429;
  }
  return true; // fetch failed, connection reset…
}

async function withRetry<T>(
  what: string,
  forMs: number,
  call: () => Promise<T>,
): Promise<{ value: T; tries: number }> {
  const deadline = Date.now() + forMs;
  for (let tries = 1; ; tries++) {
    try {
      return { value: await call(), tries };
    } catch (err) {
      if (!retryable(err) || Date.now() > deadline)
        throw new Error(`${what}: ${(err as Error).message} (after ${tries} tries)`);
      await sleep(Math.min(5_000, 250 * 2 ** Math.min(tries - 1, 5)));
    }
  }
}
