/**
 * The tool form's model: what the inputs hold, how it becomes a create (POST) or update (PATCH)
 * body, the checks made before sending (the API makes the same ones and has the last word), and
 * how the API's `errors[{field, message}]` land on the inputs.
 *
 * Parameters are a JSON Schema of type object. The form edits the common case as a table (one
 * row per argument: name, type, required, description; other keywords of a row such as
 * `pattern` or `enum` are kept as they were), and any schema as validated JSON text.
 *
 * Secret headers are write-only: a stored one shows as "set" and is never filled in; typing a
 * value replaces it, "Remove" deletes it, leaving it alone keeps it.
 */
import type { FieldError } from "../../api/problem";
import type { Tool, ToolIn, ToolKind, ToolPatch } from "./queries";

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export const PARAM_TYPES = ["string", "integer", "number", "boolean"] as const;
export type ParamType = (typeof PARAM_TYPES)[number];
export const MAX_TIMEOUT_S = 30;
export const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
export const MAX_RAG_K = 20;

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;
const RESERVED_HEADERS = new Set(["host", "content-length", "transfer-encoding", "connection"]);
/** Top-level schema keywords the table keeps as they are (anything else needs the JSON view). */
const TABLE_TOP_LEVEL = new Set(["type", "properties", "required", "additionalProperties"]);

export interface ParamRow {
  id: string;
  name: string;
  type: ParamType;
  required: boolean;
  description: string;
  /** The row's other keywords (pattern, enum, minimum, ...), kept unchanged. */
  extra: Record<string, unknown>;
}

export interface HeaderRow {
  id: string;
  name: string;
  /** A plain header's value; for a secret, the new value ("" keeps a stored one). */
  value: string;
  secret: boolean;
  /** A secret the API already holds (its name is fixed; its value is never shown). */
  stored: boolean;
  /** A stored secret marked for removal. */
  removed: boolean;
}

export interface ToolFormValues {
  name: string;
  kind: ToolKind;
  description: string;
  method: string;
  url: string;
  paramsMode: "table" | "json";
  params: ParamRow[];
  /** additionalProperties and friends: the schema's top level beyond its properties. */
  paramsTop: Record<string, unknown>;
  paramsJson: string;
  headers: HeaderRow[];
  timeout_s: string;
  max_response_bytes: string;
  response_fields: string;
  allow_model_host: boolean;
  rag_k: string;
  restrict: boolean;
  document_ids: string[];
}

export type FormKey =
  | "name"
  | "kind"
  | "description"
  | "method"
  | "url"
  | "params"
  | "headers"
  | "timeout_s"
  | "max_response_bytes"
  | "response_fields"
  | "allow_model_host"
  | "rag_k"
  | "document_ids"
  | "form";
export type FormErrors = Partial<Record<FormKey, string>>;

let serial = 0;
export const rowId = () => `row-${++serial}`;

export function emptyParam(): ParamRow {
  return { id: rowId(), name: "", type: "string", required: true, description: "", extra: {} };
}

export function emptyHeader(secret: boolean): HeaderRow {
  return { id: rowId(), name: "", value: "", secret, stored: false, removed: false };
}

export const EMPTY_TOOL: ToolFormValues = {
  name: "",
  kind: "http",
  description: "",
  method: "GET",
  url: "https://",
  paramsMode: "table",
  params: [],
  paramsTop: {},
  paramsJson: JSON.stringify({ type: "object", properties: {} }, null, 2),
  headers: [],
  timeout_s: "10",
  max_response_bytes: String(256 * 1024),
  response_fields: "",
  allow_model_host: false,
  rag_k: "5",
  restrict: false,
  document_ids: [],
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The schema as table rows, or null when the table cannot show it faithfully. */
export function schemaToRows(schema: unknown): { rows: ParamRow[]; top: Record<string, unknown> } | null {
  if (!isRecord(schema) || (schema.type ?? "object") !== "object") return null;
  if (Object.keys(schema).some((k) => !TABLE_TOP_LEVEL.has(k))) return null;
  const properties = schema.properties ?? {};
  const required = schema.required ?? [];
  if (!isRecord(properties) || !Array.isArray(required)) return null;
  const rows: ParamRow[] = [];
  for (const [name, sub] of Object.entries(properties)) {
    if (!isRecord(sub) || !PARAM_TYPES.includes(sub.type as ParamType)) return null;
    if (sub.description !== undefined && typeof sub.description !== "string") return null;
    const { type, description, ...extra } = sub;
    rows.push({ id: rowId(), name, type: type as ParamType, required: required.includes(name), description: (description as string) ?? "", extra });
  }
  const top: Record<string, unknown> = {};
  if ("additionalProperties" in schema) top.additionalProperties = schema.additionalProperties;
  return { rows, top };
}

export function rowsToSchema(rows: readonly ParamRow[], top: Record<string, unknown>): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const row of rows) {
    properties[row.name.trim()] = { type: row.type, ...(row.description.trim() ? { description: row.description.trim() } : {}), ...row.extra };
  }
  const required = rows.filter((r) => r.required).map((r) => r.name.trim());
  return { type: "object", properties, ...(required.length ? { required } : {}), ...top };
}

/** The parameters schema the form holds, or why it cannot be read. */
export function parametersOf(values: ToolFormValues): { schema: Record<string, unknown> } | { error: string } {
  if (values.paramsMode === "table") return { schema: rowsToSchema(values.params, values.paramsTop) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(values.paramsJson);
  } catch (e) {
    return { error: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!isRecord(parsed)) return { error: "The parameters must be a JSON object (a schema of type object)." };
  if ((parsed.type ?? "object") !== "object") return { error: "The schema's type must be object." };
  return { schema: parsed };
}

/** Switch the parameters editor between table and JSON; an error when the table cannot hold it. */
export function switchParamsMode(values: ToolFormValues, mode: "table" | "json"): ToolFormValues | string {
  if (mode === values.paramsMode) return values;
  if (mode === "json") {
    return { ...values, paramsMode: "json", paramsJson: JSON.stringify(rowsToSchema(values.params, values.paramsTop), null, 2) };
  }
  const read = parametersOf(values);
  if ("error" in read) return read.error;
  const table = schemaToRows(read.schema);
  if (!table) return "This schema uses more than the table can show (nested objects, arrays or top-level keywords): keep editing it as JSON.";
  return { ...values, paramsMode: "table", params: table.rows, paramsTop: table.top };
}

export function fromTool(tool: Tool): ToolFormValues {
  const config = tool.config;
  const base: ToolFormValues = { ...EMPTY_TOOL, name: tool.name, kind: tool.kind, description: tool.description };
  const storedSecrets: HeaderRow[] = tool.secret_names.map((name) => ({ id: rowId(), name, value: "", secret: true, stored: true, removed: false }));
  if (tool.kind === "http") {
    const parameters = config.parameters ?? { type: "object", properties: {} };
    const table = schemaToRows(parameters);
    const plain = isRecord(config.headers) ? Object.entries(config.headers) : [];
    return {
      ...base,
      method: String(config.method ?? "GET").toUpperCase(),
      url: String(config.url ?? ""),
      paramsMode: table ? "table" : "json",
      params: table?.rows ?? [],
      paramsTop: table?.top ?? {},
      paramsJson: JSON.stringify(parameters, null, 2),
      headers: [
        ...plain.map(([name, value]) => ({ id: rowId(), name, value: String(value), secret: false, stored: false, removed: false })),
        ...storedSecrets,
      ],
      timeout_s: String(config.timeout_s ?? 10),
      max_response_bytes: String(config.max_response_bytes ?? 256 * 1024),
      response_fields: Array.isArray(config.response_fields) ? config.response_fields.join("\n") : "",
      allow_model_host: config.allow_model_host === true,
    };
  }
  if (tool.kind === "rag") {
    const ids = Array.isArray(config.document_ids) ? config.document_ids.map(String) : null;
    return { ...base, headers: storedSecrets, rag_k: String(config.k ?? 5), restrict: ids !== null, document_ids: ids ?? [] };
  }
  return { ...base, headers: storedSecrets };
}

const lines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");

function configOf(values: ToolFormValues): Record<string, unknown> {
  if (values.kind === "http") {
    const read = parametersOf(values);
    const headers = Object.fromEntries(values.headers.filter((h) => !h.secret).map((h) => [h.name.trim(), h.value]));
    return {
      method: values.method,
      url: values.url.trim(),
      parameters: "schema" in read ? read.schema : {},
      headers,
      timeout_s: Number(values.timeout_s),
      max_response_bytes: Number(values.max_response_bytes),
      response_fields: lines(values.response_fields),
      ...(values.allow_model_host ? { allow_model_host: true } : {}),
    };
  }
  if (values.kind === "rag") return { k: Number(values.rag_k), ...(values.restrict ? { document_ids: values.document_ids } : {}) };
  return {};
}

/** New secret values by header name (http tools only: other kinds take none). */
function newSecrets(values: ToolFormValues): Record<string, string> {
  if (values.kind !== "http") return {};
  return Object.fromEntries(values.headers.filter((h) => h.secret && !h.removed && h.value !== "").map((h) => [h.name.trim(), h.value]));
}

export function toCreate(values: ToolFormValues): ToolIn {
  const secrets = newSecrets(values);
  return {
    name: values.name.trim(),
    kind: values.kind,
    description: values.description,
    config: configOf(values),
    ...(Object.keys(secrets).length ? { secrets } : {}),
  };
}

/** The PATCH body: every field, plus only the secret changes (null removes a stored one). */
export function toPatch(values: ToolFormValues, storedNames: readonly string[]): ToolPatch {
  const secrets: Record<string, string | null> = {};
  for (const name of storedNames) {
    const row = values.headers.find((h) => h.stored && h.name === name);
    if (values.kind !== "http" || !row || row.removed) secrets[name] = null;
  }
  Object.assign(secrets, newSecrets(values));
  return { name: values.name.trim(), kind: values.kind, description: values.description, config: configOf(values), secrets };
}

/** Names in `{placeholder}` form in a URL template. */
export function placeholders(url: string): string[] {
  return [...url.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!);
}

/** The checks worth making before a round trip; empty when the form may be sent. */
export function validate(values: ToolFormValues): FormErrors {
  const errors: FormErrors = {};
  if (!TOOL_NAME.test(values.name.trim())) errors.name = "1 to 64 letters, digits, '_' or '-' (the model calls the tool by this name).";
  if (values.description.length > 2000) errors.description = "At most 2000 characters.";
  if (values.kind === "http") Object.assign(errors, httpErrors(values));
  if (values.kind === "rag") {
    const k = Number(values.rag_k);
    if (!Number.isInteger(k) || k < 1 || k > MAX_RAG_K) errors.rag_k = `A whole number from 1 to ${MAX_RAG_K}.`;
    if (values.restrict && values.document_ids.length === 0) errors.document_ids = "Pick at least one document, or let the tool search them all.";
  }
  return errors;
}

function httpErrors(values: ToolFormValues): FormErrors {
  const errors: FormErrors = {};
  const url = values.url.trim();
  const read = parametersOf(values);
  if (!/^https?:\/\/[^/?#]+/i.test(url)) errors.url = "An http:// or https:// address with a host.";
  else if (url.includes("#")) errors.url = "An address without a #fragment.";
  if ("error" in read) errors.params = read.error;
  else if (values.paramsMode === "table") {
    const names = values.params.map((p) => p.name.trim());
    const bad = names.find((n) => !PARAM_NAME.test(n));
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (bad !== undefined) errors.params = bad === "" ? "Every parameter needs a name." : `'${bad}' is not a parameter name: letters, digits and '_', not starting with a digit.`;
    else if (twice !== undefined) errors.params = `'${twice}' is listed twice.`;
  }
  if (!errors.url && "schema" in read) {
    const properties = isRecord(read.schema.properties) ? read.schema.properties : {};
    const required = Array.isArray(read.schema.required) ? read.schema.required : [];
    const missing = placeholders(url).find((name) => !(name in properties) || !required.includes(name));
    if (missing !== undefined) errors.url = `{${missing}} must be a required parameter: add it below.`;
  }
  const timeout = Number(values.timeout_s);
  if (values.timeout_s.trim() === "" || !(timeout >= 0.1 && timeout <= MAX_TIMEOUT_S)) errors.timeout_s = `Between 0.1 and ${MAX_TIMEOUT_S} seconds.`;
  const size = Number(values.max_response_bytes);
  if (!Number.isInteger(size) || size < 1 || size > MAX_RESPONSE_BYTES) errors.max_response_bytes = `A whole number of bytes from 1 to ${MAX_RESPONSE_BYTES}.`;
  if (lines(values.response_fields).some((f) => f.split(".").includes(""))) errors.response_fields = "Dotted paths such as shipment.status, one per line.";
  const headers = headerErrors(values.headers);
  if (headers) errors.headers = headers;
  return errors;
}

function headerErrors(rows: readonly HeaderRow[]): string | undefined {
  const live = rows.filter((h) => !h.removed);
  const names = live.map((h) => h.name.trim().toLowerCase());
  for (const row of live) {
    const name = row.name.trim();
    if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) return name ? `'${name}' is not a header a tool may set.` : "Every header needs a name.";
    if (names.indexOf(name.toLowerCase()) !== names.lastIndexOf(name.toLowerCase())) return `'${name}' is set twice.`;
    if (row.secret && !row.stored && row.value === "") return `Enter the value of the secret header '${name}'.`;
    if (/[\r\n]/.test(row.value)) return `'${name}' must be one line.`;
  }
  return undefined;
}

/** Where an API field path lands on the form (`config.url`, `secrets.X-Key`, `$.name`, ...). */
function targetOf(field: string): FormKey | undefined {
  const path = field.replace(/^\$\.?/, "");
  const [head, second] = path.split(".");
  if (head === "secrets") return "headers";
  if (head !== "config") return (["name", "kind", "description"] as const).find((k) => k === head);
  switch (second) {
    case "method":
    case "url":
    case "timeout_s":
    case "max_response_bytes":
    case "response_fields":
    case "allow_model_host":
    case "headers":
    case "document_ids":
      return second;
    case "parameters":
      return "params";
    case "k":
      return "rag_k";
    default:
      return undefined;
  }
}

/** The API's field errors on the inputs they concern; any other goes to the form-level message. */
export function serverErrors(errors: readonly FieldError[]): FormErrors {
  const mapped: FormErrors = {};
  const unplaced: string[] = [];
  for (const { field, message } of errors) {
    const target = targetOf(field);
    // A path below the input (a parameter's keyword, one header) keeps its tail for context.
    const parts = field.replace(/^\$\.?/, "").split(".");
    const tail = parts.slice(parts[0] === "config" ? 2 : 1).join(".");
    const text = tail ? `${tail}: ${message}` : message;
    if (target && !mapped[target]) mapped[target] = text;
    else if (target) mapped[target] = `${mapped[target]} ${text}`;
    else unplaced.push(field ? `${field}: ${message}` : message);
  }
  if (unplaced.length) mapped.form = unplaced.join(" ");
  return mapped;
}

function sampleValue(schema: unknown): unknown {
  if (!isRecord(schema)) return "";
  if ("default" in schema) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  switch (schema.type) {
    case "integer":
    case "number":
      return 0;
    case "boolean":
      return false;
    case "array":
      return [];
    case "object":
      return sampleArguments(schema);
    case "null":
      return null;
    default:
      return "";
  }
}

/** Arguments shaped like a schema (defaults, first enum values, else blanks) to start a test from. */
export function sampleArguments(schema: unknown): Record<string, unknown> {
  const properties = isRecord(schema) && isRecord(schema.properties) ? schema.properties : {};
  return Object.fromEntries(Object.entries(properties).map(([name, sub]) => [name, sampleValue(sub)]));
}

/** The arguments schema the model sees for a saved tool (the built-in kinds have fixed ones). */
export function argumentsSchemaOf(tool: Tool): unknown {
  if (tool.kind === "http") return tool.config.parameters ?? {};
  if (tool.kind === "rag") return { type: "object", properties: { query: { type: "string" } } };
  return { type: "object", properties: { reason: { type: "string" } } };
}
