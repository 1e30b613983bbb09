/**
 * The website widget: its look and texts with a live preview, the allowed origins, the embed
 * snippet and the identity secret. Tenant admins (platform admins pick a tenant first).
 */
import { useState, type FormEvent } from "react";
import { useUser } from "../../auth/AuthProvider";
import { Select, TextArea, TextField } from "../../ui/Field";
import { Alert, Empty, ErrorState, Loading } from "../../ui/States";
import { useFormErrors } from "../../ui/useFormErrors";
import { TenantPicker, useTenantScope } from "../tenants/scope";
import { EmbedSnippet } from "./EmbedSnippet";
import { IdentitySecret } from "./IdentitySecret";
import { OriginList } from "./OriginList";
import { useSaveWidgetConfig, useWidgetConfig, type WidgetConfig } from "./queries";
import { WidgetPreview } from "./WidgetPreview";
import {
  COLOR_KEYS,
  DEFAULT_PRIMARY,
  fromConfig,
  MAX_PROMPTS,
  serverErrors,
  toConfigIn,
  validate,
  type ColorKey,
  type FormErrors,
  type WidgetFormValues,
} from "./widgetForm";
import "./widget.css";

const COLOR_LABELS: Record<ColorKey, string> = {
  primary_color: "Primary colour",
  background_color: "Background colour",
  text_color: "Text colour",
};
const COLOR_DEFAULTS: Record<ColorKey, string> = { primary_color: DEFAULT_PRIMARY, background_color: "#ffffff", text_color: "#1b1f24" };

/** #rgb -> #rrggbb (what `<input type="color">` takes); anything invalid -> the default. */
function pickerValue(value: string, fallback: string): string {
  const v = value.trim();
  if (/^#[0-9a-fA-F]{6}$/.test(v)) return v.toLowerCase();
  if (/^#[0-9a-fA-F]{3}$/.test(v)) return `#${[...v.slice(1)].map((c) => c + c).join("")}`.toLowerCase();
  return fallback;
}

export function WidgetScreen() {
  const scope = useTenantScope();
  const config = useWidgetConfig(scope.param, scope.ready);
  return (
    <section className="page widget-page" aria-labelledby="widget-title">
      <header className="page-header">
        <div>
          <h1 id="widget-title">Widget</h1>
          <p className="muted">The chat on your website: how it looks, where it may appear, and the tag that adds it.</p>
        </div>
      </header>
      {scope.isPlatformAdmin && <TenantPicker />}
      {!scope.ready ? (
        <Empty title="Choose a tenant to see its widget." />
      ) : config.isPending ? (
        <Loading label="Loading the widget settings" />
      ) : config.isError ? (
        <ErrorState error={config.error} onRetry={() => void config.refetch()} />
      ) : (
        <WidgetEditor key={scope.param ?? "own"} config={config.data} tenant={scope.param} />
      )}
    </section>
  );
}

function WidgetEditor({ config, tenant }: { config: WidgetConfig; tenant: string | undefined }) {
  const user = useUser();
  const [values, setValues] = useState(() => fromConfig(config));
  const { errors, failure, clear, check, fail } = useFormErrors<FormErrors>();
  const [saved, setSaved] = useState(false);
  const save = useSaveWidgetConfig(tenant);
  const dirty = JSON.stringify(toConfigIn(values)) !== JSON.stringify(toConfigIn(fromConfig(config)));

  function set<K extends keyof WidgetFormValues>(key: K, value: WidgetFormValues[K]) {
    setValues((v) => ({ ...v, [key]: value }));
    clear(key);
    setSaved(false);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    if (!check(validate(values))) return;
    try {
      const answer = await save.mutateAsync(toConfigIn(values));
      setValues(fromConfig(answer));
      setSaved(true);
    } catch (e) {
      fail(e, (fieldErrors) => serverErrors(fieldErrors, values));
    }
  }

  return (
    <div className="widget-layout">
      <form className="card form widget-form" onSubmit={submit} noValidate aria-labelledby="widget-settings-title">
        <h2 id="widget-settings-title">Settings</h2>
        <Alert error={failure} />
        <TextField label="Title" name="title" value={values.title} error={errors.title} maxLength={100} required onChange={(e) => set("title", e.target.value)} />
        <TextArea
          label="Welcome message"
          name="welcome_message"
          rows={2}
          value={values.welcome_message}
          error={errors.welcome_message}
          hint="The first bubble a visitor sees."
          onChange={(e) => set("welcome_message", e.target.value)}
        />
        <fieldset className="form-grid form-grid-3">
          <legend>Colours</legend>
          {COLOR_KEYS.map((key) => (
            <div key={key} className="colour-field">
              <TextField
                label={COLOR_LABELS[key]}
                name={key}
                value={values[key]}
                error={errors[key]}
                placeholder={key === "primary_color" ? DEFAULT_PRIMARY : "widget default"}
                spellCheck={false}
                onChange={(e) => set(key, e.target.value)}
              />
              <input
                type="color"
                className="colour-picker"
                aria-label={`Pick the ${COLOR_LABELS[key].toLowerCase()}`}
                value={pickerValue(values[key], COLOR_DEFAULTS[key])}
                onChange={(e) => set(key, e.target.value)}
              />
            </div>
          ))}
        </fieldset>
        <Select label="Position" name="position" value={values.position} error={errors.position} onChange={(e) => set("position", e.target.value)}>
          <option value="bottom-right">Bottom right</option>
          <option value="bottom-left">Bottom left</option>
        </Select>
        <TextArea
          label="Starter prompts"
          name="starter_prompts"
          rows={3}
          value={values.starter_prompts}
          error={errors.starter_prompts}
          hint={`One per line, at most ${MAX_PROMPTS}: buttons a visitor can press instead of typing.`}
          onChange={(e) => set("starter_prompts", e.target.value)}
        />
        <OriginList origins={values.allowed_origins} error={errors.allowed_origins} onChange={(origins) => set("allowed_origins", origins)} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save widget"}
          </button>
          <span role="status" aria-live="polite" className="muted small">
            {saved ? "Saved: visitors get the new settings on their next page load." : dirty ? "Unsaved changes" : ""}
          </span>
        </div>
        {user.role === "platform_admin" && <p className="muted small">You are editing tenant {config.tenant_id}'s widget.</p>}
      </form>
      <div className="widget-side">
        <WidgetPreview values={values} />
        <EmbedSnippet widgetUrl={config.widget_url} tenantId={config.tenant_id} origins={config.allowed_origins} />
        <IdentitySecret tenant={tenant} isSet={config.identity_secret_set} />
      </div>
    </div>
  );
}
