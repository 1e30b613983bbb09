/** Tools: the list, and the way into create/edit (and its test call). */
import { Link } from "react-router";
import { PagedTable } from "../../ui/PagedTable";
import { formatDate } from "../../ui/format";
import { Empty } from "../../ui/States";
import { useToolList, type Tool } from "./queries";

export const KIND_LABEL: Record<Tool["kind"], string> = {
  http: "HTTP request",
  rag: "Knowledge search",
  handoff: "Human handoff",
};

/** What the tool reaches, in one line. */
function target(tool: Tool): string {
  if (tool.kind === "http") return `${String(tool.config.method ?? "GET")} ${String(tool.config.url ?? "")}`;
  if (tool.kind === "rag") {
    const ids = tool.config.document_ids;
    return Array.isArray(ids) ? `${ids.length} selected document${ids.length === 1 ? "" : "s"}` : "All documents";
  }
  return "Hands the conversation to a person";
}

export function ToolsScreen() {
  const tools = useToolList();
  return (
    <section className="page" aria-labelledby="tools-title">
      <header className="page-header">
        <div>
          <h1 id="tools-title">Tools</h1>
          <p className="muted">What your agents can do besides talking: call your systems over HTTP, search your documents, hand over to a person.</p>
        </div>
        <Link className="btn btn-primary" to="/tools/new">
          New tool
        </Link>
      </header>
      <PagedTable
        list={tools}
        loadingLabel="Loading tools"
        empty={
          <Empty title="No tools yet.">
            <p>Create an HTTP tool to let an agent look things up in your systems.</p>
          </Empty>
        }
        head={
          <>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Target</th>
            <th scope="col">Updated</th>
          </>
        }
      >
        {tools.items.map((tool) => (
          <tr key={tool.id}>
            <td>
              <Link to={`/tools/${tool.id}`} className="row-title">
                {tool.name}
              </Link>
              {tool.description && <p className="muted small clamp">{tool.description}</p>}
            </td>
            <td>
              <span className="badge">{KIND_LABEL[tool.kind]}</span>
            </td>
            <td className="break">{target(tool)}</td>
            <td className="nowrap">{formatDate(tool.updated_at)}</td>
          </tr>
        ))}
      </PagedTable>
    </section>
  );
}
