#!/usr/bin/env bash
# `make check`: formatting, go vet, and freshness of generated files. Runs all three and fails if any
# failed, naming the offending files.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0

# Files the repository holds or would hold: tracked plus untracked-but-not-ignored (so bin/, .gl/ ... are out).
repo_files() { git ls-files -z --cached --others --exclude-standard; }
# The checks below read that list through pipes, where a git failure would pass unseen: stop now if git
# cannot list this tree (not a git work tree, or "dubious ownership" of another user's clone).
if ! git ls-files --cached >/dev/null; then
  echo "check: git cannot list the files of $(pwd); the checks need a git work tree" >&2
  exit 1
fi

echo "== check: gofmt"
mapfile -d '' gofiles < <(repo_files | grep -zE '\.go$' || true)
unformatted=""
gofmt_failed=0
if ((${#gofiles[@]})); then
  # Skip files deleted in the work tree but still in the index.
  existing=()
  for f in "${gofiles[@]}"; do [[ -f $f ]] && existing+=("$f"); done
  # gofmt exits non-zero on a file it cannot parse (its error names the file).
  if ((${#existing[@]})) && ! unformatted=$(gofmt -l "${existing[@]}"); then gofmt_failed=1; fi
fi
if [[ -n $unformatted ]]; then
  echo "gofmt would change these files (run: gofmt -w FILE):"
  sed 's/^/  /' <<<"$unformatted"
  status=1
elif ((gofmt_failed)); then
  echo "gofmt could not parse the files named above"
  status=1
else
  echo "ok"
fi

echo "== check: go vet ./..."
if go vet ./...; then echo "ok"; else status=1; fi

echo "== check: generated files are fresh (go generate ./...)"
# Fingerprint every repository file before and after `go generate`: whatever it changes, creates or
# deletes is a generated file that is stale in the tree. Comparing against a snapshot (rather than
# against HEAD alone) keeps this right in a work tree with uncommitted edits; in CI's fresh clone it is
# the same as `git diff --exit-code` plus `git status --porcelain`.
snapshot() { repo_files | xargs -0 -r sha256sum -- 2>/dev/null | sort -k2 || true; }
before=$(snapshot)
if ! go generate ./...; then
  echo "go generate ./... failed"
  status=1
else
  after=$(snapshot)
  # Paths whose fingerprint changed, appeared or disappeared.
  mapfile -t stale < <(diff <(echo "$before") <(echo "$after") | sed -nE 's/^[<>] [0-9a-f]{64} [ *]?(.*)$/\1/p' | sort -u)
  if ((${#stale[@]})); then
    echo "go generate changed or created these files; they are stale in the tree (commit what it wrote):"
    printf '  %s\n' "${stale[@]}"
    git --no-pager diff --stat -- "${stale[@]}" 2>/dev/null || true
    status=1
  else
    echo "ok"
  fi
fi

if ((status)); then
  echo "check: FAILED" >&2
else
  echo "check: all passed"
fi
exit "$status"
