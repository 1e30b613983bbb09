"""Wire formats (msgspec Structs): ``*In`` for requests, ``*Out`` for responses.

They are converted to and from core objects at the edge; core objects never leave the app.
"""
