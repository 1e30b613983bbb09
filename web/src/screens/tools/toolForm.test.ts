import { describe, expect, it } from "vitest";
import type { Tool } from "./queries";
import {
  EMPTY_TOOL,
  emptyHeader,
  emptyParam,
  fromTool,
  rowsToSchema,
  sampleArguments,
  schemaToRows,
  serverErrors,
  switchParamsMode,
  toCreate,
  toPatch,
  validate,
  type ToolFormValues,
} from "./toolForm";

const NOW = "2026-01-05T10:00:00Z";
const TRACKING = {
  type: "object",
  properties: { number: { type: "string", description: "Tracking number", pattern: "^ITL-[0-9]{6}$" }, verbose: { type: "boolean" } },
  required: ["number"],
  additionalProperties: false,
};

function httpTool(extra: Partial<Tool> = {}): Tool {
  return {
    id: "t-1",
    name: "track",
    kind: "http",
    description: "",
    config: { method: "GET", url: "https://carrier.example/track/{number}", parameters: TRACKING, headers: { Accept: "application/json" }, timeout_s: 5, max_response_bytes: 65536, response_fields: ["status"] },
    secret_names: ["X-Api-Key"],
    created_at: NOW,
    updated_at: NOW,
    ...extra,
  };
}

describe("parameters", () => {
  it("edits a flat schema as rows and gives back the same schema, other keywords kept", () => {
    const table = schemaToRows(TRACKING)!;
    expect(table.rows.map((r) => [r.name, r.type, r.required])).toEqual([
      ["number", "string", true],
      ["verbose", "boolean", false],
    ]);
    expect(table.rows[0]!.extra).toEqual({ pattern: "^ITL-[0-9]{6}$" });
    expect(rowsToSchema(table.rows, table.top)).toEqual(TRACKING);
  });

  it("keeps a schema the table cannot show in the JSON view", () => {
    const nested = { type: "object", properties: { items: { type: "array", items: { type: "string" } } } };
    expect(schemaToRows(nested)).toBeNull();
    const values: ToolFormValues = { ...EMPTY_TOOL, paramsMode: "json", paramsJson: JSON.stringify(nested) };
    expect(switchParamsMode(values, "table")).toMatch(/keep editing it as JSON/);
    expect(switchParamsMode({ ...values, paramsJson: "{ not json" }, "table")).toMatch(/Not valid JSON/);
  });

  it("refuses placeholders that are not required parameters before sending", () => {
    const values: ToolFormValues = { ...EMPTY_TOOL, name: "track", url: "https://carrier.example/track/{number}" };
    expect(validate(values).url).toBe("{number} must be a required parameter: add it below.");
    const withParam = { ...values, params: [{ ...emptyParam(), name: "number" }] };
    expect(validate(withParam)).toEqual({});
    expect(validate({ ...withParam, params: [...withParam.params, { ...emptyParam(), name: "9lives" }] }).params).toMatch(/not a parameter name/);
  });

  it("starts a test from the schema's shape", () => {
    expect(sampleArguments({ type: "object", properties: { number: { type: "string" }, n: { type: "integer", default: 3 }, unit: { enum: ["kg", "lb"] } } })).toEqual({
      number: "",
      n: 3,
      unit: "kg",
    });
  });
});

describe("secrets", () => {
  it("loads stored secrets by name only, and sends only what changed", () => {
    const values = fromTool(httpTool());
    const stored = values.headers.find((h) => h.stored)!;
    expect(stored).toMatchObject({ name: "X-Api-Key", value: "", secret: true });
    // Untouched: the PATCH names no secret, so the stored one stays.
    expect(toPatch(values, ["X-Api-Key"]).secrets).toEqual({});
    // A typed value replaces it.
    const replaced = { ...values, headers: values.headers.map((h) => (h.stored ? { ...h, value: "new-key" } : h)) };
    expect(toPatch(replaced, ["X-Api-Key"]).secrets).toEqual({ "X-Api-Key": "new-key" });
    // Removed: null deletes it.
    const removed = { ...values, headers: values.headers.map((h) => (h.stored ? { ...h, removed: true } : h)) };
    expect(toPatch(removed, ["X-Api-Key"]).secrets).toEqual({ "X-Api-Key": null });
    // Plain headers stay in the config; secrets never do.
    expect(toPatch(values, ["X-Api-Key"]).config).toMatchObject({ headers: { Accept: "application/json" } });
  });

  it("drops every secret when the tool stops being an HTTP tool", () => {
    const values = { ...fromTool(httpTool()), kind: "rag" as const };
    expect(toPatch(values, ["X-Api-Key"])).toMatchObject({ kind: "rag", config: { k: 5 }, secrets: { "X-Api-Key": null } });
  });

  it("needs a value for a new secret header, and sends it only in secrets", () => {
    const base: ToolFormValues = { ...EMPTY_TOOL, name: "ping", url: "https://status.example/ping" };
    const secret = { ...emptyHeader(true), name: "Authorization" };
    expect(validate({ ...base, headers: [secret] }).headers).toBe("Enter the value of the secret header 'Authorization'.");
    const body = toCreate({ ...base, headers: [{ ...secret, value: "Bearer s3cret" }] });
    expect(body.secrets).toEqual({ Authorization: "Bearer s3cret" });
    expect(JSON.stringify(body.config)).not.toContain("s3cret");
  });
});

describe("API errors", () => {
  it("land on the inputs they concern, with the path below the input kept", () => {
    expect(
      serverErrors([
        { field: "config.url", message: "puts a parameter in the host" },
        { field: "config.parameters.properties.n.pattern", message: "is not a valid regular expression" },
        { field: "secrets.Host", message: "must be a header name a tool may set" },
        { field: "$.name", message: "Expected `str` matching regex" },
        { field: "config.k", message: "must be an integer from 1 to 20" },
        { field: "config", message: "unknown fields: colour" },
      ]),
    ).toEqual({
      url: "puts a parameter in the host",
      params: "properties.n.pattern: is not a valid regular expression",
      headers: "Host: must be a header name a tool may set",
      name: "Expected `str` matching regex",
      rag_k: "must be an integer from 1 to 20",
      form: "config: unknown fields: colour",
    });
  });
});
