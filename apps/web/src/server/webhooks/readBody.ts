// Reads a request body up to a byte limit without buffering more than the limit.

/** Largest webhook body accepted (bigger → 413). */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export type BodyResult = { ok: true; bytes: Uint8Array } | { ok: false };

export async function readBodyWithin(request: Request, limit: number): Promise<BodyResult> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) return { ok: false };
  if (!request.body) return { ok: true, bytes: new Uint8Array() };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      return { ok: false };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return { ok: true, bytes };
}
