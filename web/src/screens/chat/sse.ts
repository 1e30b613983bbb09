/**
 * A Server-Sent Events parser for streams read with `fetch` (EventSource cannot POST).
 *
 * Follows the HTML "event stream interpretation" rules that matter to the chat API: lines end
 * in LF, CRLF or CR (a CRLF may be split across two chunks); `event:` names the event
 * (default `message`); `data:` lines are joined with LF; one leading space after the colon is
 * dropped; comment lines (`: ping` heartbeats) and `id:` / `retry:` are ignored; a blank line
 * dispatches the event, and an event with no data line is dropped; a leading BOM is skipped.
 * Chunks may split a frame, a line or a field anywhere: `push` keeps the partial line.
 */

export interface SseFrame {
  event: string;
  data: string;
}

export class SseParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];
  private sawData = false;
  private started = false;
  /** The previous chunk ended in CR: an LF starting this chunk ends no extra line. */
  private pendingCr = false;

  /** Feed decoded text; returns the events it completed, in order. */
  push(chunk: string): SseFrame[] {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.pendingCr && text.startsWith("\n")) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    const frames: SseFrame[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const char = this.buffer[i];
      if (char !== "\n" && char !== "\r") continue;
      const line = this.buffer.slice(start, i);
      if (char === "\r") {
        if (i + 1 < this.buffer.length) {
          if (this.buffer[i + 1] === "\n") i++;
        } else {
          this.pendingCr = true;
        }
      }
      start = i + 1;
      const frame = this.line(line);
      if (frame) frames.push(frame);
    }
    this.buffer = this.buffer.slice(start);
    return frames;
  }

  /** The stream ended: a last event without its blank line is incomplete and is dropped. */
  end(): void {
    this.buffer = "";
    this.reset();
  }

  private line(line: string): SseFrame | null {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") {
      this.data.push(value);
      this.sawData = true;
    }
    return null;
  }

  private dispatch(): SseFrame | null {
    const frame = this.sawData ? { event: this.event || "message", data: this.data.join("\n") } : null;
    this.reset();
    return frame;
  }

  private reset(): void {
    this.event = "";
    this.data = [];
    this.sawData = false;
  }
}
