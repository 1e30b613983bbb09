import { describe, expect, it } from "vitest";
import { agent } from "../../test/fakeApi";
import { EMPTY_AGENT, fromAgent, serverErrors, toAgentIn, validate } from "./agentForm";

describe("the agent form", () => {
  it("round-trips an agent, routing hints one per line", () => {
    const original = agent("Tracking", { routing: { keywords: ["track", "where is"], patterns: ["\\b[A-Z]{4}\\d{7}\\b"], examples: [], priority: 2 }, tool_ids: ["t1"] });
    const body = toAgentIn(fromAgent(original));
    expect(body).toMatchObject({ name: "Tracking", kind: "domain", temperature: 0.2, max_tokens: 1024, tool_ids: ["t1"] });
    expect(body.routing).toEqual(original.routing);
  });

  it("drops blank lines and trims hints", () => {
    const body = toAgentIn({ ...EMPTY_AGENT, name: " Billing ", keywords: "invoice\n\n  refund  \n" });
    expect(body.name).toBe("Billing");
    expect(body.routing?.keywords).toEqual(["invoice", "refund"]);
  });

  it("checks the name, model, temperature and token limit before sending", () => {
    expect(validate({ ...EMPTY_AGENT, name: "Ok" })).toEqual({});
    const errors = validate({ ...EMPTY_AGENT, name: "  ", model: "", temperature: "hot", max_tokens: "1.5", priority: "101" });
    expect(Object.keys(errors).sort()).toEqual(["max_tokens", "model", "name", "priority", "temperature"]);
    expect(validate({ ...EMPTY_AGENT, name: "x", temperature: "2.5" }).temperature).toBeDefined();
  });

  it("puts the API's field errors on their inputs, the rest on the form", () => {
    expect(
      serverErrors([
        { field: "temperature", message: "must be between 0 and 2.0" },
        { field: "routing.keywords[3]", message: "Expected `str` of length >= 1" },
        { field: "$.provider", message: "must be one of offline, openai" },
        { field: "routing.priority", message: "must be between 0 and 100" },
        { field: "color", message: "unknown" },
      ]),
    ).toEqual({
      temperature: "must be between 0 and 2.0",
      keywords: "Expected `str` of length >= 1",
      provider: "must be one of offline, openai",
      priority: "must be between 0 and 100",
      form: "color: unknown",
    });
  });
});
