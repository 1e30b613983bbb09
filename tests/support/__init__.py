"""Test support code shared by several suites (fakes of things outside the project)."""
