"""Users: people who sign in to the web app (visitors of the widget are not users)."""
