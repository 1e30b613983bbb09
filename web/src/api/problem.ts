/**
 * RFC 9457 problem details, as every API error answers (API.md "Conventions").
 *
 * The UI shows `detail` (written for people) and maps `errors[{field, message}]` onto form
 * fields. Anything else a failed request returns (an HTML error page from a proxy, a network
 * failure) becomes a generic, plain-text message: nothing from a response is rendered as HTML.
 */
export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail);
    this.name = "ApiError";
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? [];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fieldErrors(value: unknown): FieldError[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value
    .filter(isRecord)
    .map((e) => ({ field: String(e.field ?? ""), message: String(e.message ?? "") }))
    .filter((e) => e.message !== "");
}

/** A problem from whatever a failed response carried (its parsed JSON body, or nothing). */
export function toProblem(status: number, body: unknown): Problem {
  if (isRecord(body) && typeof body.detail === "string" && body.detail !== "") {
    return {
      type: typeof body.type === "string" ? body.type : "about:blank",
      title: typeof body.title === "string" ? body.title : "Error",
      status: typeof body.status === "number" ? body.status : status,
      detail: body.detail,
      code: typeof body.code === "string" ? body.code : undefined,
      errors: fieldErrors(body.errors),
    };
  }
  return {
    type: "about:blank",
    title: "Error",
    status,
    detail: status >= 500 ? "The server could not complete the request. Try again shortly." : `The request failed (HTTP ${status}).`,
  };
}

/** The message to show for any error a query or mutation raised. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.problem.detail;
  if (error instanceof TypeError) return "Cannot reach the server. Check your connection and try again.";
  return "Something went wrong. Try again.";
}
