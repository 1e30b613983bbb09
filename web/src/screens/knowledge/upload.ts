/**
 * Document uploads with progress: `fetch` cannot report how much of a request body was sent, so
 * uploads use XMLHttpRequest (its `upload.onprogress`). Same rules as the typed client: the
 * bearer token of the session, one refresh and replay on a 401, and an `ApiError` from the
 * answer's problem+json otherwise.
 */
import { session } from "../../api/client";
import { ApiError, toProblem } from "../../api/problem";
import type { KnowledgeDocument } from "./queries";

export type UploadBody = { file: File; title?: string } | { title: string; text: string };

export interface UploadResult {
  document: KnowledgeDocument;
  /** False when the same content was already there (the API answers the existing document). */
  created: boolean;
}

interface Answer {
  status: number;
  body: unknown;
}

const PATH = "/api/admin/knowledge/documents";

function parse(xhr: XMLHttpRequest): unknown {
  if (!(xhr.getResponseHeader("content-type") ?? "").includes("json")) return undefined;
  try {
    return JSON.parse(xhr.responseText);
  } catch {
    return undefined;
  }
}

function send(body: UploadBody, token: string | null, onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${window.location.origin}${PATH}`);
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, body: parse(xhr) });
    // Same as fetch: a request that never got an answer is a TypeError (errorMessage: "Cannot reach").
    xhr.onerror = () => reject(new TypeError("The upload could not reach the server."));
    xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    if ("file" in body) {
      const form = new FormData();
      form.append("file", body.file, body.file.name);
      if (body.title) form.append("title", body.title);
      xhr.send(form);
    } else {
      xhr.setRequestHeader("Content-Type", "application/json");
      xhr.send(JSON.stringify({ title: body.title, text: body.text }));
    }
  });
}

/** Upload one document; `onProgress` hears the bytes sent so far. */
export async function uploadDocument(body: UploadBody, onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<UploadResult> {
  let answer = await send(body, session.accessToken, onProgress, signal);
  if (answer.status === 401) {
    const pair = await session.refresh();
    if (pair) answer = await send(body, pair.access_token, onProgress, signal);
    if (answer.status === 401) session.expire();
  }
  if (answer.status === 200 || answer.status === 201) return { document: answer.body as KnowledgeDocument, created: answer.status === 201 };
  throw new ApiError(toProblem(answer.status, answer.body));
}
