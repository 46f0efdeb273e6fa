#!/usr/bin/env bash
# Test drillsim against the newest release of every dependency, ignoring constraints/ci.txt.
#
#   scripts/test_latest.sh                 # a fresh venv in .venv-latest, then the whole suite
#   scripts/test_latest.sh tests/test_loading.py -x    # arguments go to pytest
#   EXTRAS="cluster" scripts/test_latest.sh            # optional extras besides 'test'
#
# CI (.ci/run) installs the exact versions of constraints/ci.txt, so that a new release
# cannot turn it red overnight; run this to find out what a new release breaks before
# moving the pins (then refresh constraints/ci.txt from this venv's `pip freeze`).
# The TUI snapshot tests compare pixels of one Textual version and may differ with a newer one.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-latest
extras="test"
for extra in ${EXTRAS:-}; do
  extras="$extras,$extra"
done
rm -rf "$venv"
python3 -m venv "$venv"
"$venv"/bin/pip install --quiet --upgrade pip
"$venv"/bin/pip install --quiet --upgrade --upgrade-strategy eager ".[$extras]"
echo "testing against:"
"$venv"/bin/pip freeze --exclude drillsim | sed 's/^/  /'
set +e
CI=true "$venv"/bin/python -m pytest -q "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests" >&2
  exit 1
fi
exit "$status"
