/**
 * Knowledge: upload documents (files with a progress bar each, or pasted text), their status
 * while they are processed, and a search preview of what an agent would retrieve. Everything a
 * document or a passage holds is rendered as text.
 */
import { useRef, useState, type DragEvent, type FormEvent } from "react";
import { errorMessage } from "../../api/problem";
import { ConfirmButton } from "../../ui/ConfirmButton";
import { Select, TextArea, TextField } from "../../ui/Field";
import { PagedTable } from "../../ui/PagedTable";
import { formatDate } from "../../ui/format";
import { Alert, Empty, Loading } from "../../ui/States";
import { useDeleteDocument, useDocuments, useRefreshDocuments, useSearch, type KnowledgeDocument } from "./queries";
import { uploadDocument, type UploadBody } from "./upload";

export const ACCEPTED = ".txt,.md,.html,.htm,.pdf,.docx,.csv";

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function KnowledgeScreen() {
  return (
    <section className="page" aria-labelledby="knowledge-title">
      <header className="page-header">
        <div>
          <h1 id="knowledge-title">Knowledge</h1>
          <p className="muted">The documents your agents answer from. Each one is split into passages that a knowledge search tool retrieves.</p>
        </div>
      </header>
      <Uploads />
      <Documents />
      <SearchPreview />
    </section>
  );
}

type Phase = "waiting" | "uploading" | "sent" | "answered" | "failed";

interface UploadItem {
  id: number;
  name: string;
  sent: number;
  total: number;
  phase: Phase;
  /** The API's answer: the document as created (or the existing one for the same content). */
  document?: KnowledgeDocument;
  duplicate?: boolean;
  error?: string;
}

/** What an upload row says: its phase until answered, then its document's latest status. */
function describe(item: UploadItem, live: KnowledgeDocument | undefined): { text: string; failed: boolean } {
  if (item.phase === "failed") return { text: `Failed · ${item.error}`, failed: true };
  if (item.phase === "waiting") return { text: "Waiting", failed: false };
  if (item.phase === "uploading") return { text: `Uploading ${percentOf(item)}%`, failed: false };
  const document = live ?? item.document;
  if (!document) return { text: "Processing", failed: false };
  if (document.status === "failed") return { text: `Failed · ${document.failure_reason ?? "the document could not be read"}`, failed: true };
  if (document.status === "processing") return { text: "Processing", failed: false };
  return { text: item.duplicate ? "Already in the knowledge base" : `Added · ${document.chunks} passages`, failed: false };
}

function percentOf(item: UploadItem): number {
  return item.total > 0 ? Math.min(100, Math.round((item.sent / item.total) * 100)) : 0;
}

/** The file and paste forms, and one progress row per upload of this visit. */
function Uploads() {
  const [items, setItems] = useState<UploadItem[]>([]);
  const documents = useDocuments();
  const refresh = useRefreshDocuments();
  const serial = useRef(0);

  function update(id: number, change: Partial<UploadItem>) {
    setItems((all) => all.map((item) => (item.id === id ? { ...item, ...change } : item)));
  }

  /** Uploads one after another (a 20 MB file should not wait behind four others in parallel). */
  async function run(bodies: { name: string; size: number; body: UploadBody }[]) {
    const queued = bodies.map(({ name, size, body }) => ({ item: { id: ++serial.current, name, sent: 0, total: size, phase: "waiting" as Phase }, body }));
    setItems((all) => [...queued.map((q) => q.item), ...all]);
    for (const { item, body } of queued) {
      update(item.id, { phase: "uploading" });
      try {
        const result = await uploadDocument(body, (sent, total) => update(item.id, { sent, total, phase: sent >= total ? "sent" : "uploading" }));
        // Sent in full: the bar ends at 100% whatever size the progress events counted.
        update(item.id, { sent: 1, total: 1, phase: "answered", document: result.document, duplicate: !result.created });
      } catch (error) {
        update(item.id, { phase: "failed", error: errorMessage(error) });
      }
      void refresh();
    }
  }

  return (
    <div className="cards">
      <FileUpload onUpload={run} />
      <PasteText onUpload={run} />
      {items.length > 0 && (
        <div className="card uploads">
          <h2 className="card-title">Uploads</h2>
          <ul className="upload-list" aria-label="Uploads">
            {items.map((item) => (
              <UploadRow key={item.id} item={item} live={documents.items.find((d) => d.id === item.document?.id)} />
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function UploadRow({ item, live }: { item: UploadItem; live: KnowledgeDocument | undefined }) {
  const { text, failed } = describe(item, live);
  return (
    <li className={failed ? "upload upload-failed" : "upload"}>
      <div className="upload-head">
        <span className="upload-name">{item.name}</span>
        <span className="small muted" aria-live="polite">
          {text}
        </span>
      </div>
      <progress max={100} value={failed ? undefined : percentOf(item)} aria-label={`Upload of ${item.name}`} />
    </li>
  );
}

type OnUpload = (bodies: { name: string; size: number; body: UploadBody }[]) => Promise<void>;

function FileUpload({ onUpload }: { onUpload: OnUpload }) {
  const [files, setFiles] = useState<File[]>([]);
  const [title, setTitle] = useState("");
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<string>();
  const input = useRef<HTMLInputElement>(null);

  function drop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    setFiles([...event.dataTransfer.files]);
    setError(undefined);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!files.length) {
      setError("Choose one or more files first.");
      return;
    }
    const single = files.length === 1 && title.trim() !== "";
    void onUpload(files.map((file) => ({ name: file.name, size: file.size, body: single ? { file, title: title.trim() } : { file } })));
    setFiles([]);
    setTitle("");
    if (input.current) input.current.value = "";
  }

  return (
    <form
      className={dragging ? "card form dropzone dropzone-active" : "card form dropzone"}
      aria-labelledby="upload-title"
      onSubmit={submit}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
      noValidate
    >
      <h2 className="card-title" id="upload-title">
        Upload files
      </h2>
      <div className={error ? "field field-invalid" : "field"}>
        <label htmlFor="knowledge-files">Files</label>
        <input
          ref={input}
          id="knowledge-files"
          type="file"
          multiple
          accept={ACCEPTED}
          aria-describedby="knowledge-files-hint"
          aria-invalid={error ? true : undefined}
          onChange={(e) => {
            setFiles([...(e.target.files ?? [])]);
            setError(undefined);
          }}
        />
        <p className={error ? "field-error" : "field-hint"} id="knowledge-files-hint">
          {error ?? "Text, Markdown, HTML, PDF, Word (.docx) or CSV; drop files here or choose them."}
        </p>
      </div>
      <TextField
        label="Title (optional)"
        name="title"
        value={title}
        maxLength={200}
        disabled={files.length > 1}
        hint={files.length > 1 ? "Each file keeps its own name as its title." : "Defaults to the file's name."}
        onChange={(e) => setTitle(e.target.value)}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary">
          {files.length > 1 ? `Upload ${files.length} files` : "Upload"}
        </button>
      </div>
    </form>
  );
}

function PasteText({ onUpload }: { onUpload: OnUpload }) {
  const [title, setTitle] = useState("");
  const [text, setText] = useState("");
  const [errors, setErrors] = useState<{ title?: string; text?: string }>({});

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = {
      ...(title.trim() ? {} : { title: "Give the text a title." }),
      ...(text.trim() ? {} : { text: "Paste some text." }),
    };
    setErrors(found);
    if (Object.keys(found).length) return;
    const size = new TextEncoder().encode(text).length;
    void onUpload([{ name: title.trim(), size, body: { title: title.trim(), text } }]);
    setTitle("");
    setText("");
  }

  return (
    <form className="card form" aria-labelledby="paste-title" onSubmit={submit} noValidate>
      <h2 className="card-title" id="paste-title">
        Paste text
      </h2>
      <TextField label="Document title" name="paste-title" value={title} maxLength={200} error={errors.title} onChange={(e) => setTitle(e.target.value)} />
      <TextArea
        label="Text"
        name="paste-text"
        rows={5}
        value={text}
        error={errors.text}
        hint="Markdown headings become the passages' heading path."
        onChange={(e) => setText(e.target.value)}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary">
          Add text
        </button>
      </div>
    </form>
  );
}

function StatusBadge({ document }: { document: KnowledgeDocument }) {
  if (document.status === "ready") return <span className="badge badge-ok">Ready</span>;
  if (document.status === "failed") return <span className="badge badge-failed">Failed</span>;
  return (
    <span className="badge badge-processing">
      <span className="spinner spinner-small" aria-hidden="true" /> Processing
    </span>
  );
}

function Documents() {
  const documents = useDocuments();
  const remove = useDeleteDocument();
  const processing = documents.items.some((d) => d.status === "processing");
  return (
    <section className="stack" aria-labelledby="documents-title">
      <div className="section-head">
        <h2 id="documents-title">Documents</h2>
        {processing && (
          <span className="small muted" role="status">
            Checking for processed documents every few seconds…
          </span>
        )}
      </div>
      <Alert error={remove.error} />
      <PagedTable
        list={documents}
        loadingLabel="Loading documents"
        empty={
          <Empty title="No documents yet.">
            <p>Upload files or paste text above: agents with a knowledge search tool answer from them.</p>
          </Empty>
        }
        head={
          <>
            <th scope="col">Title</th>
            <th scope="col">Status</th>
            <th scope="col">Passages</th>
            <th scope="col">Size</th>
            <th scope="col">Added</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </>
        }
      >
        {documents.items.map((document) => (
          <tr key={document.id}>
            <td>
              <span className="row-title">{document.title}</span>
            </td>
            <td>
              <StatusBadge document={document} />
              {document.status === "failed" && document.failure_reason && <p className="small field-error">{document.failure_reason}</p>}
            </td>
            <td>{document.chunks}</td>
            <td className="nowrap">{formatBytes(document.bytes)}</td>
            <td className="nowrap">{formatDate(document.created_at)}</td>
            <td>
              <div className="actions">
                <ConfirmButton
                  label="Delete"
                  confirmLabel={`Delete ${document.title}`}
                  disabled={remove.isPending && remove.variables === document.id}
                  onConfirm={() => remove.mutate(document.id)}
                />
              </div>
            </td>
          </tr>
        ))}
      </PagedTable>
    </section>
  );
}

function SearchPreview() {
  const [query, setQuery] = useState("");
  const [k, setK] = useState("5");
  const [error, setError] = useState<string>();
  const search = useSearch();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!query.trim()) {
      setError("Type what a customer might ask.");
      return;
    }
    setError(undefined);
    search.mutate({ query: query.trim(), k: Number(k) });
  }

  return (
    <section className="card form" aria-labelledby="search-title">
      <div>
        <h2 className="card-title" id="search-title">
          Search preview
        </h2>
        <p className="muted small">The passages a knowledge search tool would hand an agent for this question, best first.</p>
      </div>
      <form className="form-inline" onSubmit={submit} role="search" aria-label="Search the knowledge base" noValidate>
        <TextField label="Question" name="query" type="search" value={query} maxLength={2000} error={error} onChange={(e) => setQuery(e.target.value)} />
        <Select label="Passages" name="k" value={k} onChange={(e) => setK(e.target.value)}>
          {["3", "5", "10", "20"].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </Select>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={search.isPending}>
            Search
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {search.isPending ? (
          <Loading label="Searching" />
        ) : search.isError ? (
          <Alert error={search.error} />
        ) : search.data === undefined ? null : search.data.items.length === 0 ? (
          <Empty title="No passage matches.">
            <p>Try other words, or check that the documents are ready.</p>
          </Empty>
        ) : (
          <ol className="hits" aria-label="Search results">
            {search.data.items.map((hit) => (
              <li key={hit.chunk_id} className="hit">
                <div className="hit-head">
                  <span className="row-title">{hit.title}</span>
                  <span className="badge" title="Relevance score (higher is closer)">
                    score {hit.score.toFixed(3)}
                  </span>
                </div>
                {hit.heading_path.length > 0 && <p className="small muted hit-path">{hit.heading_path.join(" › ")}</p>}
                <p className="hit-text">{hit.text}</p>
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
