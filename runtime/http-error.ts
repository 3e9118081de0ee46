// An answer the runtime gives instead of running the handler: a status that names the problem
// and one sentence a person can act on.
export class HttpError extends Error {
  constructor(
    readonly statusCode: 400 | 403 | 415 | 500,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}
