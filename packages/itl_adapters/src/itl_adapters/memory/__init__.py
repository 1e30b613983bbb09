"""In-memory implementations of the core's ports, for unit tests and the contract suites.

Each fake keeps the contract of the real adapter it stands in for (the contract tests in
``tests/contract`` run one suite against both), so a test passing on a fake means something.
They are not for production: state lives in one process and is lost on exit.
"""
