// Email over SMTP (nodemailer): text/plain only, so nothing a user named is ever read as HTML.
import nodemailer from 'nodemailer';
import type { EmailSettings } from '@dtss/db';
import type { AlertPayload } from './payload';
import type { SendResult } from './http';

export async function sendEmail(
  settings: EmailSettings,
  password: string | null,
  payload: AlertPayload,
  timeoutMs: number,
): Promise<SendResult> {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.username ? { auth: { user: settings.username, pass: password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    const info = await transport.sendMail({
      from: settings.from,
      to: settings.to,
      subject: payload.subject,
      text: payload.text,
    });
    const code = /^(\d{3})/.exec(String(info.response ?? ''))?.[1];
    return { ok: true, ...(code ? { status: Number(code) } : {}) };
  } catch (err) {
    const e = err as Error & { responseCode?: number };
    return { ok: false, error: e.message, ...(e.responseCode ? { status: e.responseCode } : {}) };
  } finally {
    transport.close();
  }
}
