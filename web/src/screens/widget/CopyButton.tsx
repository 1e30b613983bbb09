/** A button that copies `text`, confirming "Copied" in a live region (or how to copy by hand). */
import { useEffect, useRef, useState } from "react";
import { copyText } from "./copy";

type State = "idle" | "copied" | "failed";

interface Props {
  text: string;
  label: string;
  /** Selected when copying is impossible, so Ctrl+C / Cmd+C copies it. */
  fallbackTarget?: () => HTMLTextAreaElement | HTMLInputElement | null;
}

export function CopyButton({ text, label, fallbackTarget }: Props) {
  const [state, setState] = useState<State>("idle");
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  async function copy() {
    const copied = await copyText(text);
    setState(copied ? "copied" : "failed");
    if (!copied) fallbackTarget?.()?.select();
    window.clearTimeout(timer.current);
    if (copied) timer.current = window.setTimeout(() => setState("idle"), 4000);
  }

  return (
    <span className="copy">
      <button type="button" className="btn btn-secondary btn-small" onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" aria-live="polite" className={state === "failed" ? "copy-status copy-failed" : "copy-status"}>
        {state === "copied" && "Copied"}
        {state === "failed" && "Could not copy: the text is selected, press Ctrl+C (⌘C on a Mac)."}
      </span>
    </span>
  );
}
