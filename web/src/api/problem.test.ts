import { describe, expect, it } from "vitest";
import { ApiError, errorMessage, toProblem } from "./problem";

describe("toProblem", () => {
  it("keeps the detail and field errors of a problem+json body", () => {
    const problem = toProblem(422, {
      type: "urn:itl:problem:validation_failed",
      title: "Unprocessable Content",
      status: 422,
      detail: "temperature: must be between 0 and 2.0",
      errors: [{ field: "temperature", message: "must be between 0 and 2.0" }, { nonsense: true }],
    });
    expect(problem.detail).toBe("temperature: must be between 0 and 2.0");
    expect(problem.errors).toEqual([{ field: "temperature", message: "must be between 0 and 2.0" }]);
  });

  it("never shows a body that is not a problem (an HTML error page) to the user", () => {
    const problem = toProblem(502, "<html><script>alert(1)</script></html>");
    expect(problem.detail).toBe("The server could not complete the request. Try again shortly.");
    expect(toProblem(404, undefined).detail).toBe("The request failed (HTTP 404).");
  });
});

describe("errorMessage", () => {
  it("says what the API said, or plainly that the server cannot be reached", () => {
    expect(errorMessage(new ApiError(toProblem(409, { detail: "Already taken." })))).toBe("Already taken.");
    expect(errorMessage(new TypeError("Failed to fetch"))).toMatch(/Cannot reach the server/);
    expect(errorMessage(new Error("boom"))).toBe("Something went wrong. Try again.");
  });
});
