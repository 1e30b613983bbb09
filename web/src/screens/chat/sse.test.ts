import { describe, expect, it } from "vitest";
import { SseParser, type SseFrame } from "./sse";

function parseIn(chunks: string[]): SseFrame[] {
  const parser = new SseParser();
  return chunks.flatMap((chunk) => parser.push(chunk));
}

const STREAM =
  ': ping\n\nevent: session\ndata: {"session_id":"s-1"}\n\nevent: token\ndata: {"text":"Hel"}\n\nevent: token\ndata: {"text":"lo"}\n\nevent: done\ndata: {"response":"Hello"}\n\n';
const EXPECTED: SseFrame[] = [
  { event: "session", data: '{"session_id":"s-1"}' },
  { event: "token", data: '{"text":"Hel"}' },
  { event: "token", data: '{"text":"lo"}' },
  { event: "done", data: '{"response":"Hello"}' },
];

describe("SseParser", () => {
  it("reads named events and skips heartbeat comments", () => {
    expect(parseIn([STREAM])).toEqual(EXPECTED);
  });

  it("gives the same events however the stream is cut into chunks", () => {
    for (let size = 1; size <= 12; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < STREAM.length; i += size) chunks.push(STREAM.slice(i, i + size));
      expect(parseIn(chunks)).toEqual(EXPECTED);
    }
  });

  it("accepts CRLF and CR line ends, with a CRLF split between two chunks", () => {
    const crlf = STREAM.replaceAll("\n", "\r\n");
    expect(parseIn([crlf])).toEqual(EXPECTED);
    const at = crlf.indexOf("\r\n\r\n") + 1; // the chunk ends between CR and LF
    expect(parseIn([crlf.slice(0, at), crlf.slice(at)])).toEqual(EXPECTED);
    expect(parseIn([STREAM.replaceAll("\n", "\r")])).toEqual(EXPECTED);
  });

  it("holds an event back until its blank line arrives", () => {
    const parser = new SseParser();
    expect(parser.push('event: token\ndata: {"text":"a"}\n')).toEqual([]);
    expect(parser.push("\n")).toEqual([{ event: "token", data: '{"text":"a"}' }]);
  });

  it("joins data lines, drops one leading space, defaults the name and skips a BOM", () => {
    expect(parseIn(["\uFEFFdata:one\ndata:  two\n\n"])).toEqual([{ event: "message", data: "one\n two" }]);
  });

  it("ignores id and retry fields, events without data, and an unterminated last event", () => {
    const parser = new SseParser();
    expect(parser.push("id: 7\nretry: 10\nevent: lonely\n\nevent: token\ndata: x\n\nevent: done\ndata: {")).toEqual([{ event: "token", data: "x" }]);
    parser.end();
    expect(parser.push("\n\n")).toEqual([]);
  });
});
