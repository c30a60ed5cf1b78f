// The text of an alert: a subject line and a few lines of plain text, the same for every channel
// (a webhook gets it beside the structured fields, Slack as `text`, email as text/plain). Never
// HTML: names and errors come from users and are sent as text. Slack's control characters (&, <,
// >) are escaped by slackText so a name cannot ping @channel or forge a link.
import type { AlertRuleKind } from './ruleSchema';

export type AlertEvent = 'opened' | 'resolved';

export interface AlertMessageInput {
  event: AlertEvent;
  kind: AlertRuleKind;
  ruleName: string;
  teamSlug: string;
  title: string;
  /** Extra facts, one line each ("run #12 of etl failed"). */
  details: string[];
  /** Link to the run or the alerts page when the server's public URL is known. */
  url: string | null;
  at: Date;
}

export interface AlertMessage {
  subject: string;
  text: string;
}

const KIND_LABEL: Record<AlertRuleKind, string> = {
  run_failed: 'Run failed',
  run_recovered: 'Run recovered',
  task_retries: 'Task retried',
  deadline: 'Deadline missed',
  worker_lost: 'Worker lost',
  pool_starved: 'Pool without workers',
};

export function renderAlertMessage(m: AlertMessageInput): AlertMessage {
  const state =
    m.kind === 'run_recovered' ? '' : m.event === 'resolved' ? '[resolved] ' : '[alert] ';
  const subject = oneLine(`${state}${KIND_LABEL[m.kind]}: ${m.title}`).slice(0, 200);
  const lines = [
    subject,
    ...m.details.map(oneLine),
    `rule: ${m.ruleName} (team ${m.teamSlug})`,
    `at: ${m.at.toISOString()}`,
  ];
  if (m.url) lines.push(m.url);
  return { subject, text: lines.join('\n') };
}

/** Text for Slack's mrkdwn: its three control characters escaped, as Slack documents. */
export function slackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Control characters (CR, LF, …) out of one line, so a name cannot add header or body lines. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}
