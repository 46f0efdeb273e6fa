#!/usr/bin/env bash
# mypy over the drillsim package as it is installed: the repository's layer folders are mapped to
# drillsim.* by setuptools (package-dir), which mypy cannot follow, so this lays the same tree out
# as symlinks in a temporary folder and checks that.
set -euo pipefail
cd "$(dirname "$0")/.."
MYPY=${MYPY:-.venv/bin/mypy}
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir "$tree/drillsim"
for f in cli/*.py; do ln -s "$PWD/$f" "$tree/drillsim/"; done
for layer in simulator reports tui scenarios host; do
  [ -d "$layer" ] && ln -s "$PWD/$layer" "$tree/drillsim/$layer"
done
MYPYPATH="$tree" "$MYPY" --config-file pyproject.toml -p drillsim "$@"
