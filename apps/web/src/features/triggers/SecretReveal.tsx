'use client';
import { useMemo } from 'react';
import { CopyButton } from './CopyButton';
import { webhookCurl, webhookUrl } from './curlCommand';

/**
 * A webhook's URL and signing secret, shown once (the server never returns the secret again),
 * with a curl command that sends a signed test delivery.
 */
export function SecretReveal({ path, secret }: { path: string; secret: string }) {
  const url = useMemo(() => webhookUrl(window.location.origin, path), [path]);
  const curl = useMemo(() => webhookCurl({ url, secret }), [url, secret]);
  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="webhook-secret-reveal">
      <p role="alert" className="rounded-md border border-warn/50 bg-panel-2 px-3 py-2">
        Copy the signing secret now: it is shown only this once. If it is lost, rotate it to get a
        new one.
      </p>
      <Row label="URL" value={url} what="the webhook URL" testId="trigger-url" />
      <Row
        label="Signing secret"
        value={secret}
        what="the signing secret"
        testId="trigger-secret"
      />
      <div className="flex flex-col gap-1">
        <div className="flex items-center justify-between gap-2">
          <span className="text-xs font-medium text-muted">
            Send a signed test delivery (sh, openssl, curl)
          </span>
          <CopyButton text={curl} what="the curl command" testId="copy-trigger-curl" />
        </div>
        <pre
          tabIndex={0}
          className="overflow-x-auto rounded-md border border-border bg-bg p-2 font-mono text-xs whitespace-pre"
          data-testid="trigger-curl"
        >
          {curl}
        </pre>
        <p className="text-xs text-muted">
          Each delivery is signed: <code>x-dtss-signature</code> is <code>sha256=</code> and the hex
          HMAC-SHA256 of <code>&lt;timestamp&gt;.&lt;body&gt;</code> with the secret;{' '}
          <code>x-dtss-timestamp</code> must be within 5 minutes of the server&apos;s clock.
        </p>
      </div>
    </div>
  );
}

function Row({
  label,
  value,
  what,
  testId,
}: {
  label: string;
  value: string;
  what: string;
  testId: string;
}) {
  return (
    <div className="flex flex-col gap-1">
      <span className="text-xs font-medium text-muted">{label}</span>
      <div className="flex items-center gap-2">
        <code
          className="min-w-0 flex-1 rounded-md border border-border bg-bg px-2 py-1 font-mono text-xs break-all"
          data-testid={testId}
        >
          {value}
        </code>
        <CopyButton text={value} what={what} testId={`copy-${testId}`} />
      </div>
    </div>
  );
}
