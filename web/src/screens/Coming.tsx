/** The placeholder of a screen whose API is still being built: says what it will do. */
import type { ReactNode } from "react";

interface Props {
  title: string;
  summary: string;
  features: readonly string[];
  children?: ReactNode;
}

export function Coming({ title, summary, features, children }: Props) {
  return (
    <section className="page" aria-labelledby="coming-title">
      <header className="page-header">
        <div>
          <h1 id="coming-title">
            {title} <span className="badge badge-coming">Coming</span>
          </h1>
          <p className="muted">{summary}</p>
        </div>
      </header>
      <div className="card coming">
        <p className="coming-lead">This screen arrives with its API. It will let you:</p>
        <ul>
          {features.map((feature) => (
            <li key={feature}>{feature}</li>
          ))}
        </ul>
        {children}
      </div>
    </section>
  );
}
