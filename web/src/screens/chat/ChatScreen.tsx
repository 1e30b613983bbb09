import { Coming } from "../Coming";

/** Chat with the tenant's agents. Fills in when POST /api/{tenant}/chat (streaming) lands. */
export function ChatScreen() {
  return (
    <Coming
      title="Chat"
      summary="Talk to your agents the way your customers will."
      features={[
        "Answers streamed token by token",
        "The answering agent and how it was chosen (rules, similarity or classifier)",
        "Tool calls and the documents cited",
        "Your sessions and their history",
      ]}
    />
  );
}
