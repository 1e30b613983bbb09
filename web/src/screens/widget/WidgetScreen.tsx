import { Coming } from "../Coming";

/** Website widget. Fills in when /api/admin/widget lands. */
export function WidgetScreen() {
  return (
    <Coming
      title="Widget"
      summary="The chat on your website."
      features={[
        "Title, welcome message, colours and position with a live preview",
        "Allowed origins",
        "The embed snippet, ready to copy",
        "Identity secret rotation for signed visitors",
      ]}
    />
  );
}
