/**
 * The agent form's model: what the inputs hold (strings), how it becomes an `AgentIn`, the
 * checks made before sending (the API makes the same ones and has the last word), and how the
 * API's `errors[{field, message}]` land on the inputs.
 */
import type { FieldError } from "../../api/problem";
import type { Agent, AgentIn } from "./queries";

export const PROVIDERS = ["offline", "openai", "anthropic", "google"] as const;

export interface AgentFormValues {
  name: string;
  kind: "supervisor" | "domain";
  description: string;
  system_prompt: string;
  provider: string;
  model: string;
  temperature: string;
  max_tokens: string;
  keywords: string;
  patterns: string;
  examples: string;
  /** Breaks a tie between agents whose routing hints match a message equally (0 to 100). */
  priority: string;
  is_active: boolean;
  /** Kept as loaded: tools are edited on the Tools screen once it lands. */
  tool_ids: string[];
}

export type FormErrors = Partial<Record<keyof AgentFormValues | "form", string>>;

export const EMPTY_AGENT: AgentFormValues = {
  name: "",
  kind: "domain",
  description: "",
  system_prompt: "",
  provider: "offline",
  model: "offline-1",
  temperature: "0.2",
  max_tokens: "1024",
  keywords: "",
  patterns: "",
  examples: "",
  priority: "0",
  is_active: true,
  tool_ids: [],
};

const lines = (items: readonly string[]) => items.join("\n");
const unlines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");

export function fromAgent(agent: Agent): AgentFormValues {
  return {
    name: agent.name,
    kind: agent.kind,
    description: agent.description,
    system_prompt: agent.system_prompt,
    provider: agent.provider,
    model: agent.model,
    temperature: String(agent.temperature),
    max_tokens: String(agent.max_tokens),
    keywords: lines(agent.routing.keywords ?? []),
    patterns: lines(agent.routing.patterns ?? []),
    examples: lines(agent.routing.examples ?? []),
    priority: String(agent.routing.priority ?? 0),
    is_active: agent.is_active,
    tool_ids: [...agent.tool_ids],
  };
}

export function toAgentIn(values: AgentFormValues): AgentIn {
  return {
    name: values.name.trim(),
    kind: values.kind,
    description: values.description,
    system_prompt: values.system_prompt,
    provider: values.provider,
    model: values.model.trim(),
    temperature: Number(values.temperature),
    max_tokens: Number(values.max_tokens),
    tool_ids: values.tool_ids,
    routing: {
      keywords: unlines(values.keywords),
      patterns: unlines(values.patterns),
      examples: unlines(values.examples),
      priority: Number(values.priority),
    },
    is_active: values.is_active,
  };
}

/** The checks worth making before a round trip; empty when the form may be sent. */
export function validate(values: AgentFormValues): FormErrors {
  const errors: FormErrors = {};
  if (values.name.trim() === "") errors.name = "Give the agent a name.";
  else if (values.name.trim().length > 200) errors.name = "At most 200 characters.";
  if (values.model.trim() === "") errors.model = "Name the model.";
  const temperature = Number(values.temperature);
  if (values.temperature.trim() === "" || !Number.isFinite(temperature) || temperature < 0 || temperature > 2)
    errors.temperature = "A number between 0 and 2.";
  const maxTokens = Number(values.max_tokens);
  if (!Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens > 32768) errors.max_tokens = "A whole number between 1 and 32768.";
  const priority = Number(values.priority);
  if (values.priority.trim() === "" || !Number.isInteger(priority) || priority < 0 || priority > 100)
    errors.priority = "A whole number between 0 and 100.";
  return errors;
}

const FIELD_OF: Record<string, keyof AgentFormValues> = {
  name: "name",
  kind: "kind",
  description: "description",
  system_prompt: "system_prompt",
  provider: "provider",
  model: "model",
  temperature: "temperature",
  max_tokens: "max_tokens",
  is_active: "is_active",
  tool_ids: "tool_ids",
  keywords: "keywords",
  patterns: "patterns",
  examples: "examples",
  priority: "priority",
};

/**
 * The API's field errors on the inputs they concern. Paths such as `routing.keywords[2]` or
 * `$.temperature` land on their input; any other goes to the form-level message.
 */
export function serverErrors(errors: readonly FieldError[]): FormErrors {
  const mapped: FormErrors = {};
  const unplaced: string[] = [];
  for (const { field, message } of errors) {
    const parts = field.replace(/^\$\.?/, "").split(/[.[\]]/).filter(Boolean);
    const target = parts.map((p) => FIELD_OF[p]).find((f) => f !== undefined);
    if (target && !mapped[target]) mapped[target] = message;
    else if (!target) unplaced.push(field ? `${field}: ${message}` : message);
  }
  if (unplaced.length) mapped.form = unplaced.join(" ");
  return mapped;
}
