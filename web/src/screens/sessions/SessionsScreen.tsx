import { Coming } from "../Coming";

/** Transcripts. Fills in when GET /api/{tenant}/sessions and its messages land. */
export function SessionsScreen() {
  return (
    <Coming
      title="Sessions"
      summary="Every conversation, with how it was routed and which tools ran."
      features={[
        "Transcripts with routing and tool details per answer",
        "Filter by agent and by status",
        "Close a session",
      ]}
    />
  );
}
