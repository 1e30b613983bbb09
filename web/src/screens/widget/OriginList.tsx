/** The allowed origins: a list with a remove button each, and an input to add one. */
import { useId, useState, type KeyboardEvent } from "react";
import { originError } from "./widgetForm";

interface Props {
  origins: readonly string[];
  error: string | undefined;
  onChange: (origins: string[]) => void;
}

export function OriginList({ origins, error, onChange }: Props) {
  const id = useId();
  const [draft, setDraft] = useState("");
  const [draftError, setDraftError] = useState<string | undefined>();

  function add() {
    const origin = draft.trim();
    const problem = originError(origin, origins);
    setDraftError(problem);
    if (problem) return;
    onChange([...origins, origin]);
    setDraft("");
  }

  function onKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== "Enter") return;
    event.preventDefault(); // Enter adds the origin; it does not submit the whole form
    add();
  }

  const shown = draftError ?? error;
  return (
    <fieldset className="stack origin-list">
      <legend>Allowed origins</legend>
      <p className="muted small" id={`${id}-about`}>
        The exact sites (scheme, host and port) that may embed the widget. Until one is listed, it works nowhere.
      </p>
      {origins.length === 0 ? (
        <p className="muted">No origin allowed yet.</p>
      ) : (
        <ul className="origins" aria-label="Allowed origins">
          {origins.map((origin) => (
            <li key={origin}>
              <code>{origin}</code>
              <button type="button" className="btn btn-ghost btn-small" aria-label={`Remove ${origin}`} onClick={() => onChange(origins.filter((o) => o !== origin))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className={shown ? "field field-invalid" : "field"}>
        <label htmlFor={id}>Add an origin</label>
        <div className="origin-add">
          <input
            id={id}
            type="url"
            inputMode="url"
            placeholder="https://www.example.com"
            value={draft}
            aria-invalid={shown ? true : undefined}
            aria-describedby={shown ? `${id}-error` : `${id}-about`}
            onChange={(e) => {
              setDraft(e.target.value);
              setDraftError(undefined);
            }}
            onKeyDown={onKey}
          />
          <button type="button" className="btn btn-secondary" onClick={add}>
            Add origin
          </button>
        </div>
        {shown && (
          <p className="field-error" id={`${id}-error`}>
            {shown}
          </p>
        )}
      </div>
    </fieldset>
  );
}
