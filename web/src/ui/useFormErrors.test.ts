import { act, renderHook } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ApiError, type FieldError } from "../api/problem";
import { useFormErrors } from "./useFormErrors";

type Errors = Partial<Record<"name" | "url" | "form", string>>;

/** Places `name` on its input and everything else on the form. */
function placed(fieldErrors: readonly FieldError[]): Errors {
  const errors: Errors = {};
  for (const { field, message } of fieldErrors) {
    if (field === "name") errors.name = message;
    else errors.form = `${field}: ${message}`;
  }
  return errors;
}

const invalid = (errors: FieldError[]) => new ApiError({ type: "about:blank", title: "Unprocessable", status: 422, detail: "Invalid.", errors });

describe("useFormErrors", () => {
  it("lets a submit go ahead only when the form's own checks found nothing", () => {
    const { result } = renderHook(() => useFormErrors<Errors>());
    let go = true;
    act(() => void (go = result.current.check({ name: "Give it a name." })));
    expect(go).toBe(false);
    expect(result.current.errors).toEqual({ name: "Give it a name." });
    act(() => void (go = result.current.check({})));
    expect(go).toBe(true);
    expect(result.current.errors).toEqual({});
  });

  it("shows the problem only when some error sits on no input", () => {
    const { result } = renderHook(() => useFormErrors<Errors>());
    const onTheirInputs = invalid([{ field: "name", message: "too long" }]);
    act(() => result.current.fail(onTheirInputs, placed));
    expect(result.current.errors).toEqual({ name: "too long" });
    expect(result.current.failure).toBeNull();

    const unplaced = invalid([{ field: "name", message: "too long" }, { field: "colour", message: "unknown" }]);
    act(() => result.current.fail(unplaced, placed));
    expect(result.current.errors).toEqual({ name: "too long", form: "colour: unknown" });
    expect(result.current.failure).toBe(unplaced);

    const network = new TypeError("Failed to fetch");
    act(() => result.current.fail(network, placed));
    expect(result.current.errors).toEqual({});
    expect(result.current.failure).toBe(network);

    act(() => void result.current.check({}));
    expect(result.current.failure).toBeNull();
  });

  it("clears the messages of the inputs the user changed", () => {
    const { result } = renderHook(() => useFormErrors<Errors>());
    act(() => void result.current.check({ name: "Give it a name.", url: "Enter a URL." }));
    act(() => result.current.clear("url"));
    expect(result.current.errors).toEqual({ name: "Give it a name.", url: undefined });
  });
});
