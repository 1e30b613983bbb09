/**
 * A live preview of the widget, drawn from the form's unsaved values: the same header, welcome
 * bubble, starter prompts, composer and launcher placement as the widget host's `widget.html`
 * (same default colours). Drawn here rather than by framing the real widget: `widget.html` may
 * only be framed by the tenant's allowed origins and shows saved settings only.
 *
 * Nothing in it is interactive (`inert`): it is a picture, and the caption says so.
 */
import type { CSSProperties } from "react";
import { DEFAULT_PRIMARY, prompts, type WidgetFormValues } from "./widgetForm";

const HEX = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const colour = (value: string, fallback: string) => (HEX.test(value.trim()) ? value.trim() : fallback);

export function WidgetPreview({ values }: { values: WidgetFormValues }) {
  const style = {
    "--wp-primary": colour(values.primary_color, DEFAULT_PRIMARY),
    "--wp-bg": colour(values.background_color, "#ffffff"),
    "--wp-fg": colour(values.text_color, "#1b1f24"),
  } as CSSProperties;
  const left = values.position === "bottom-left";
  return (
    <figure className="widget-preview" aria-labelledby="widget-preview-caption">
      <figcaption id="widget-preview-caption">
        <strong>Live preview</strong> <span className="muted small">— follows your edits; visitors see them once you save.</span>
      </figcaption>
      <div className={left ? "wp-page wp-left" : "wp-page"} style={style} inert data-testid="widget-preview">
        <div className="wp-chat">
          <div className="wp-head">
            <span className="wp-title">{values.title.trim() || "Chat"}</span>
            <span aria-hidden="true">✕</span>
          </div>
          <div className="wp-log">{values.welcome_message && <p className="wp-bot">{values.welcome_message}</p>}</div>
          {prompts(values).length > 0 && (
            <div className="wp-starters">
              {prompts(values).map((p, i) => (
                <span key={`${i}-${p}`} className="wp-starter">
                  {p}
                </span>
              ))}
            </div>
          )}
          <div className="wp-compose">
            <span className="wp-input">Your message</span>
            <span className="wp-send" aria-hidden="true">
              ➤
            </span>
          </div>
        </div>
        <span className="wp-launcher" aria-hidden="true">
          <svg viewBox="0 0 24 24" width="20" height="20">
            <path d="M4 4h16v11H8l-4 4z" fill="#fff" />
          </svg>
        </span>
      </div>
    </figure>
  );
}
