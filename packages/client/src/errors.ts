/** The server answered a stream request with an error status (401, 404, 400, …). */
export class DtssHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'DtssHttpError';
  }
}
