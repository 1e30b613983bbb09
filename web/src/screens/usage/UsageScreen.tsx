import { Coming } from "../Coming";

/** Usage charts. Fills in when the usage API lands. */
export function UsageScreen() {
  return (
    <Coming
      title="Usage"
      summary="What your agents consume, and what it costs."
      features={["Tokens and cost per day", "Tokens and cost per agent"]}
    />
  );
}
