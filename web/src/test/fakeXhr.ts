/**
 * XMLHttpRequest for component tests, answering from a FakeApi (uploads use XHR for progress).
 *
 * Automatic by default: a request reports its whole body sent, then the fake API's answer. In
 * manual mode a test holds each request and drives it: `progress(sent, total)`, `respond()`.
 */
import { vi } from "vitest";
import type { FakeApi } from "./fakeApi";

type Handler = (() => void) | null;
/** Roughly what a browser adds per multipart part (boundary and part headers). */
const MULTIPART_PART_OVERHEAD = 180;

export class XhrControl {
  readonly requests: FakeXhr[] = [];
  constructor(
    readonly api: FakeApi,
    readonly manual: boolean,
  ) {}
}

export class FakeXhr {
  upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  onload: Handler = null;
  onerror: Handler = null;
  onabort: Handler = null;
  status = 0;
  responseText = "";
  method = "";
  url = "";
  body: Document | XMLHttpRequestBodyInit | null = null;
  readonly headers = new Headers();
  private answerHeaders = new Headers();

  constructor(private readonly control: XhrControl) {}

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers.set(name, value);
  }

  getResponseHeader(name: string): string | null {
    return this.answerHeaders.get(name);
  }

  send(body: Document | XMLHttpRequestBodyInit | null): void {
    this.body = body;
    this.control.requests.push(this);
    if (!this.control.manual) void this.respond();
  }

  abort(): void {
    this.onabort?.();
  }

  /** Report `sent` of `total` body bytes sent. */
  progress(sent: number, total: number): void {
    this.upload.onprogress?.({ lengthComputable: true, loaded: sent, total } as ProgressEvent);
  }

  /** The body's size as the progress events count it (a multipart body: its parts' headers too). */
  get size(): number {
    if (this.body instanceof FormData) return [...this.body.values()].reduce((n, v) => n + MULTIPART_PART_OVERHEAD + (typeof v === "string" ? v.length : v.size), 0);
    return typeof this.body === "string" ? this.body.length : 0;
  }

  /** Finish the upload and deliver the fake API's answer. */
  async respond(): Promise<void> {
    this.progress(this.size, this.size);
    const request = new Request(this.url, { method: this.method, headers: this.headers, body: this.body as BodyInit });
    const answer = await this.control.api.fetch(request);
    this.status = answer.status;
    this.answerHeaders = answer.headers;
    this.responseText = await answer.text();
    this.onload?.();
  }
}

export function installFakeXhr(api: FakeApi, { manual = false } = {}): XhrControl {
  const control = new XhrControl(api, manual);
  vi.stubGlobal(
    "XMLHttpRequest",
    class extends FakeXhr {
      constructor() {
        super(control);
      }
    },
  );
  return control;
}
