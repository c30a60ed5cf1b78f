import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { verifyWebhookSignature } from '@dtss/core';
import { describe, expect, it } from 'vitest';
import { shellQuote, webhookCurl, webhookUrl } from './curlCommand';

const run = promisify(execFile);

/**
 * Runs the command with `curl` replaced by a shell function that prints its arguments, one a
 * line: what curl would have sent.
 */
async function curlArgs(command: string): Promise<string[]> {
  const fake = `curl() { for a in "$@"; do printf '%s\\n' "$a"; done; }\n`;
  const { stdout } = await run('sh', ['-c', fake + command]);
  return stdout.replace(/\n$/, '').split('\n');
}

describe('webhookCurl', () => {
  it('signs the body exactly as the webhook route verifies it', async () => {
    const secret = 'whsec_abc-DEF_123';
    const body = `{"msg":"it's 100% $HOME \`x\` \\\\ done"}`;
    const args = await curlArgs(
      webhookCurl({ url: 'http://127.0.0.1:3000/api/hooks/t1', secret, body }),
    );
    const header = (name: string) =>
      args.find((a) => a.startsWith(`${name}: `))!.slice(name.length + 2);
    expect(args.slice(0, 3)).toEqual(['-sS', '-X', 'POST']);
    expect(args).toContain('http://127.0.0.1:3000/api/hooks/t1');
    const sent = args[args.indexOf('--data-raw') + 1];
    expect(sent).toBe(body);
    const verified = await verifyWebhookSignature({
      secret,
      timestamp: header('x-dtss-timestamp'),
      signature: header('x-dtss-signature'),
      body: sent!,
    });
    expect(verified).toMatchObject({ ok: true });
  });

  it('quotes for the shell and builds absolute URLs', () => {
    expect(shellQuote(`a'b`)).toBe(`'a'\\''b'`);
    expect(webhookUrl('https://dtss.example.com', '/api/hooks/x')).toBe(
      'https://dtss.example.com/api/hooks/x',
    );
  });
});
