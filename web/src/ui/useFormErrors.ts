/**
 * A form's errors: the ones on its inputs (its own checks', or a failed save's placed by the
 * API's field paths) and the failure shown above it.
 */
import { useState } from "react";
import { ApiError, type FieldError } from "../api/problem";

/** Error messages by input; `form` holds what belongs to no input. */
type InputErrors = Partial<Record<string, string>> & { form?: string };

export function useFormErrors<E extends InputErrors>() {
  const [errors, setErrors] = useState<E>({} as E);
  const [failure, setFailure] = useState<unknown>(null);

  /** The user changed these inputs: their messages go. */
  function clear(...keys: (keyof E)[]) {
    if (keys.length) setErrors((e) => ({ ...e, ...Object.fromEntries(keys.map((k) => [k, undefined])) }));
  }

  /** Starts a submit with what the form's own checks `found`: true when the save may go ahead. */
  function check(found: E): boolean {
    setFailure(null);
    setErrors(found);
    return Object.keys(found).length === 0;
  }

  /**
   * A failed save: `placed` puts the API's field errors on their inputs, and the problem's
   * detail is shown too unless every error already sits on its input.
   */
  function fail(error: unknown, placed: (fieldErrors: readonly FieldError[]) => E) {
    const fields = error instanceof ApiError ? placed(error.fieldErrors) : ({} as E);
    setErrors(fields);
    if (!Object.keys(fields).length || fields.form) setFailure(error);
  }

  return { errors, failure, clear, check, fail };
}
