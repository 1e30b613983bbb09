/**
 * The identity secret a customer backend signs visitor identities with. Write-only: the API
 * says only whether one is set; rotating shows the new one once (it stays on screen until the
 * user leaves), and invalidates every signature made with the old one.
 */
import { useId, useRef, useState } from "react";
import { ConfirmButton } from "../../ui/ConfirmButton";
import { Alert } from "../../ui/States";
import { CopyButton } from "./CopyButton";
import { useRotateIdentitySecret } from "./queries";

export function IdentitySecret({ tenant, isSet }: { tenant: string | undefined; isSet: boolean }) {
  const id = useId();
  const rotate = useRotateIdentitySecret(tenant);
  const [secret, setSecret] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const run = () => rotate.mutate(undefined, { onSuccess: (answer) => setSecret(answer.identity_secret) });
  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <div className="section-head">
        <h2 id={`${id}-title`}>Identity secret</h2>
        <span className={isSet ? "badge badge-ok" : "badge badge-muted"}>{isSet ? "Set" : "Not set"}</span>
      </div>
      <p className="muted small">
        Your backend signs a signed-in customer's identity with it, so they keep their chat history on every device (README, “Known
        visitors”).
      </p>
      <Alert error={rotate.error} />
      {secret && (
        <div className="field">
          <label htmlFor={`${id}-secret`}>New identity secret</label>
          <input id={`${id}-secret`} ref={field} className="code" readOnly value={secret} aria-describedby={`${id}-once`} onFocus={(e) => e.currentTarget.select()} />
          <p className="field-hint" id={`${id}-once`}>
            Shown this once: store it in your backend's secrets now.
          </p>
          <CopyButton text={secret} label="Copy secret" fallbackTarget={() => field.current} />
        </div>
      )}
      <div className="form-actions">
        {isSet ? (
          <ConfirmButton label="Rotate secret" confirmLabel="Rotate: old signatures stop working" disabled={rotate.isPending} onConfirm={run} />
        ) : (
          <button type="button" className="btn btn-secondary" disabled={rotate.isPending} onClick={run}>
            {rotate.isPending ? "Creating…" : "Create secret"}
          </button>
        )}
      </div>
    </section>
  );
}
