'use client';
import Link from 'next/link';
import { useTeamHref } from '@/components/shell/team';
import { StateLabel } from '@/components/ui/StateLabel';
import { Tag } from '@/components/ui/status';
import { dateTime, relativeTime } from '@/lib/format';
import { KIND_LABEL, type Delivery, type Incident } from './types';

/**
 * Incidents with their deliveries: state (open / resolved), kind, title and run, then one line per
 * message sent (channel, opened or resolved, sent / pending / failed, attempts, last error). Used
 * by the alerts page and the run page.
 */
export function IncidentList({ incidents }: { incidents: Incident[] }) {
  const href = useTeamHref();
  return (
    <ul className="divide-y divide-border" data-testid="incident-list">
      {incidents.map((i) => (
        <li
          key={i.id}
          className="flex flex-col gap-1.5 px-4 py-2.5"
          data-testid="incident"
          data-status={i.status}
          data-kind={i.kind}
        >
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <StateLabel tone={i.status === 'open' ? 'bad' : 'ok'} className="w-20 text-xs">
              {i.status}
            </StateLabel>
            <Tag>{KIND_LABEL[i.kind] ?? i.kind}</Tag>
            <span className="min-w-0 flex-1 font-medium" data-testid="incident-title">
              {i.title}
            </span>
            <span className="text-xs whitespace-nowrap text-muted" title={dateTime(i.openedAt)}>
              {relativeTime(i.openedAt)}
            </span>
          </div>
          <div className="flex flex-wrap gap-x-4 text-xs text-muted">
            <span>rule {i.ruleName}</span>
            {i.runId && i.workflowName ? (
              <Link className="underline" href={href(`/runs/${i.runId}`)}>
                {i.workflowName} run #{i.runNumber}
              </Link>
            ) : null}
            {i.details.map((d) => (
              <span key={d}>{d}</span>
            ))}
            {i.resolution ? <span>resolved: {i.resolution}</span> : null}
          </div>
          {i.deliveries.length > 0 ? (
            <ul className="flex flex-col gap-0.5 text-xs" aria-label="Deliveries">
              {i.deliveries.map((d) => (
                <DeliveryLine key={d.id} d={d} />
              ))}
            </ul>
          ) : (
            <p className="text-xs text-muted">No channel of the rule exists: nothing was sent.</p>
          )}
        </li>
      ))}
    </ul>
  );
}

function DeliveryLine({ d }: { d: Delivery }) {
  const tone = d.status === 'sent' ? 'ok' : d.status === 'failed' ? 'bad' : 'warn';
  return (
    <li
      className="flex flex-wrap items-center gap-x-3"
      data-testid="delivery"
      data-status={d.status}
    >
      <span className="font-mono">{d.channelName}</span>
      <span className="text-muted">{d.event}</span>
      <StateLabel tone={tone}>{d.status}</StateLabel>
      <span className="text-muted tabular-nums">
        {d.attempts} {d.attempts === 1 ? 'attempt' : 'attempts'}
      </span>
      {d.error ? (
        <span className="text-muted" data-testid="delivery-error">
          last error: {d.error}
        </span>
      ) : null}
    </li>
  );
}
