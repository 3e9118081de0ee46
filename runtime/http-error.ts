// An answer the runtime gives instead of running the handler: a status that names the problem
// and one sentence a person can act on.
import type { ErrorStatus } from "../contract";

export class HttpError extends Error {
  constructor(
    readonly statusCode: ErrorStatus,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}
