"""``freeze_startup_heap``: what exists when a process's apps are built is kept out of the
garbage collector's full collections; what requests create afterwards is still collected."""

from __future__ import annotations

import gc

from itl_web.lifespan import freeze_startup_heap


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector can free it


def test_the_startup_heap_is_frozen_and_later_objects_are_still_collected() -> None:
    built_at_startup = Node()
    try:
        freeze_startup_heap()
        assert gc.get_freeze_count() > 0
        tracked = {id(o) for o in gc.get_objects()}
        assert id(built_at_startup) not in tracked  # full collections no longer scan it
        per_request = Node()
        assert id(per_request) in {id(o) for o in gc.get_objects()}
        del per_request
        assert gc.collect() >= 1  # a cycle created later is still found and freed
    finally:
        gc.unfreeze()
