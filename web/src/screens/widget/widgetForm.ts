/**
 * The widget form's model: what the inputs hold, how it becomes a `WidgetConfigIn`, the checks
 * made before sending (the same rules as `itl_core.widgets`; the API has the last word), and
 * how the API's `errors[{field, message}]` land on the inputs.
 */
import type { FieldError } from "../../api/problem";
import type { WidgetConfig, WidgetConfigIn } from "./queries";

export const POSITIONS = ["bottom-right", "bottom-left"] as const;
export const COLOR_KEYS = ["primary_color", "background_color", "text_color"] as const;
export type ColorKey = (typeof COLOR_KEYS)[number];
export const MAX_TITLE = 100;
export const MAX_WELCOME = 1000;
export const MAX_PROMPTS = 6;
export const MAX_PROMPT = 200;
export const MAX_ORIGINS = 50;
export const DEFAULT_PRIMARY = "#0b5fff"; // the widget's own default (widget_host app.css)

const COLOR_RE = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const LABEL = "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)";
const ORIGIN_RE = new RegExp(`^https?://(?:${LABEL}\\.)*${LABEL}(?::[1-9][0-9]{0,4})?$`);

export interface WidgetFormValues {
  title: string;
  welcome_message: string;
  primary_color: string;
  background_color: string;
  text_color: string;
  position: string;
  /** One prompt per line. */
  starter_prompts: string;
  allowed_origins: string[];
}

export type WidgetField = keyof WidgetFormValues | "form";
export type FormErrors = Partial<Record<WidgetField, string>>;

export function fromConfig(config: WidgetConfig): WidgetFormValues {
  return {
    title: config.title,
    welcome_message: config.welcome_message,
    primary_color: config.theme.primary_color ?? "",
    background_color: config.theme.background_color ?? "",
    text_color: config.theme.text_color ?? "",
    position: config.position,
    starter_prompts: config.starter_prompts.join("\n"),
    allowed_origins: [...config.allowed_origins],
  };
}

export function prompts(values: WidgetFormValues): string[] {
  return values.starter_prompts
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

export function toConfigIn(values: WidgetFormValues): WidgetConfigIn {
  const theme: Record<string, string> = {};
  for (const key of COLOR_KEYS) if (values[key].trim()) theme[key] = values[key].trim();
  return {
    title: values.title.trim(),
    welcome_message: values.welcome_message,
    theme,
    position: values.position,
    starter_prompts: prompts(values),
    allowed_origins: values.allowed_origins,
  };
}

/** Why an origin typed into "Add an origin" cannot join `current` (undefined: it can). */
export function originError(origin: string, current: readonly string[]): string | undefined {
  if (origin === "") return "Type the origin of a site, e.g. https://www.example.com.";
  if (origin.endsWith("/") && ORIGIN_RE.test(origin.slice(0, -1))) return "Leave out the trailing slash: an origin has no path.";
  if (!ORIGIN_RE.test(origin))
    return "An origin is scheme://host[:port] (http or https, lowercase), with no path and no wildcard.";
  if (current.includes(origin)) return "This origin is already allowed.";
  if (current.length >= MAX_ORIGINS) return `At most ${MAX_ORIGINS} origins.`;
  return undefined;
}

export function validate(values: WidgetFormValues): FormErrors {
  const errors: FormErrors = {};
  const title = values.title.trim();
  if (title === "") errors.title = "Give the widget a title.";
  else if (title.length > MAX_TITLE) errors.title = `At most ${MAX_TITLE} characters.`;
  if (values.welcome_message.length > MAX_WELCOME) errors.welcome_message = `At most ${MAX_WELCOME} characters.`;
  for (const key of COLOR_KEYS) {
    const value = values[key].trim();
    if (value && !COLOR_RE.test(value)) errors[key] = "A colour as #rgb or #rrggbb, e.g. #0b5fff.";
  }
  if (!(POSITIONS as readonly string[]).includes(values.position)) errors.position = "Choose a position.";
  const lines = prompts(values);
  if (lines.length > MAX_PROMPTS) errors.starter_prompts = `At most ${MAX_PROMPTS} prompts.`;
  else if (lines.some((p) => p.length > MAX_PROMPT)) errors.starter_prompts = `Each prompt is at most ${MAX_PROMPT} characters.`;
  const bad = values.allowed_origins.find((o) => !ORIGIN_RE.test(o));
  if (bad !== undefined) errors.allowed_origins = `${bad} is not an origin (scheme://host[:port]).`;
  return errors;
}

const SERVER_FIELDS: Record<string, WidgetField> = {
  title: "title",
  welcome_message: "welcome_message",
  position: "position",
  starter_prompts: "starter_prompts",
  allowed_origins: "allowed_origins",
  "theme.primary_color": "primary_color",
  "theme.background_color": "background_color",
  "theme.text_color": "text_color",
};

/** The API's field errors on the inputs; `allowed_origins[2]` names the origin it refused. */
export function serverErrors(errors: readonly FieldError[], values: WidgetFormValues): FormErrors {
  const found: FormErrors = {};
  for (const { field, message } of errors) {
    const indexed = field.match(/^allowed_origins\[(\d+)\]$/);
    if (indexed) {
      found.allowed_origins ??= `${values.allowed_origins[Number(indexed[1])] ?? "An origin"}: ${message}`;
      continue;
    }
    const target = SERVER_FIELDS[field] ?? "form";
    found[target] ??= message;
  }
  return found;
}

/** The `<script>` tag a customer adds to their pages (README "Embedding the widget"). */
export function embedSnippet(widgetUrl: string, tenantId: string): string {
  const attr = (value: string) => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  const base = widgetUrl.replace(/\/+$/, "");
  return `<script src="${attr(`${base}/widget.js`)}" data-tenant="${attr(tenantId)}" async></script>`;
}
