/** The `<script>` tag to paste into a site, with a copy button (README "Embedding the widget"). */
import { useId, useRef } from "react";
import { CopyButton } from "./CopyButton";
import { embedSnippet } from "./widgetForm";

export function EmbedSnippet({ widgetUrl, tenantId, origins }: { widgetUrl: string; tenantId: string; origins: readonly string[] }) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const snippet = embedSnippet(widgetUrl, tenantId);
  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <div className="section-head">
        <h2 id={`${id}-title`}>Embed snippet</h2>
        <CopyButton text={snippet} label="Copy snippet" fallbackTarget={() => area.current} />
      </div>
      <div className="field">
        <label htmlFor={id}>Add this tag to every page that shows the chat</label>
        <textarea id={id} ref={area} className="code" readOnly rows={3} value={snippet} aria-describedby={`${id}-hint`} onFocus={(e) => e.currentTarget.select()} />
        <p className="field-hint" id={`${id}-hint`}>
          Options: <code>data-position="bottom-left"</code>, <code>data-open="true"</code>, <code>data-locale="fr"</code>.
        </p>
      </div>
      {origins.length === 0 && (
        <p className="notice">The widget works on no site yet: add your site's origin under Allowed origins and save.</p>
      )}
    </section>
  );
}
