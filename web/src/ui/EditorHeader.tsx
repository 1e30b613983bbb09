/** The header of a page that edits one item: the crumb back to its list, the title and, once stored, its delete button. */
import { Link } from "react-router";
import { ConfirmButton } from "./ConfirmButton";

interface Props {
  /** The heading's id, which the page and its form are labelled by. */
  titleId: string;
  title: string;
  /** The list the item belongs to: the crumb's text, and where it leads. */
  crumb: string;
  back: string;
  /** A stored item's delete button, which asks "Delete <name>" before `onConfirm`. */
  deletion?: { label: string; name: string; pending: boolean; onConfirm: () => void } | undefined;
}

export function EditorHeader({ titleId, title, crumb, back, deletion }: Props) {
  return (
    <header className="page-header">
      <div>
        <p className="crumbs">
          <Link to={back}>{crumb}</Link>
        </p>
        <h1 id={titleId}>{title}</h1>
      </div>
      {deletion && (
        <ConfirmButton label={deletion.label} confirmLabel={`Delete ${deletion.name}`} disabled={deletion.pending} onConfirm={deletion.onConfirm} />
      )}
    </header>
  );
}
