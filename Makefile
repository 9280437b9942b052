# The two commands of the README. Each sets everything up first, so both work on a fresh machine.
.PHONY: run test check bench coverage-doc install

run: install
	.venv/bin/intacct-bridge run

test: install
	scripts/test

check: install
	scripts/check

bench: install
	scripts/bench

coverage-doc: install
	.venv/bin/python -m intacct_sandbox.coverage_doc > docs/sandbox-coverage.md

install:
	scripts/install
