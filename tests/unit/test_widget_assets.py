"""The widget's static assets: size budgets (gzipped bytes) and CSP-compatible markup."""

from __future__ import annotations

import gzip
import re

from widget_host.controllers.assets import APP_FILES, STATIC, widget_csp

LOADER_BUDGET = 3 * 1024
IFRAME_BUDGET = 40 * 1024


def gzipped(name: str) -> int:
    return len(gzip.compress((STATIC / name).read_bytes(), compresslevel=9, mtime=0))


def test_the_loader_fits_in_3_kb_gzipped() -> None:
    assert gzipped("widget.js") <= LOADER_BUDGET


def test_everything_the_iframe_loads_fits_in_40_kb_gzipped() -> None:
    html = (STATIC / "widget.html").read_text()
    loaded = set(re.findall(r'(?:src|href)="/widget/([^"]+)"', html))
    assert loaded == set(APP_FILES)  # the page loads exactly the files the host serves
    assert gzipped("widget.html") + sum(gzipped(name) for name in loaded) <= IFRAME_BUDGET


def test_the_iframe_page_needs_no_inline_code_or_styles() -> None:
    html = (STATIC / "widget.html").read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html
    assert not re.search(r"\s(?:style|on[a-z]+)=", html)


def test_the_app_never_feeds_strings_to_the_html_parser() -> None:
    app = (STATIC / "app.js").read_text()
    assert not re.search(
        r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function", app
    )


def test_the_policy_frames_only_in_the_allowed_origins() -> None:
    assert widget_csp(()).endswith("frame-ancestors 'none'")
    policy = widget_csp(("https://a.example", "http://localhost:3000"))
    assert policy.endswith("frame-ancestors https://a.example http://localhost:3000")
    assert "script-src 'self'" in policy and "img-src 'self' data:" in policy
