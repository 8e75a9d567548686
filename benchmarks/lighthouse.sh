#!/usr/bin/env bash
# Lighthouse accessibility, best-practices and SEO scores of the built site: home, a bank page and
# an exercise page, in French (/) and English (/en/), served by a local ThreadingHTTPServer.
#
#   benchmarks/lighthouse.sh                 # builds the shipped content (no PDFs) first
#   benchmarks/lighthouse.sh --site /tmp/site [--json-dir DIR]
#
# Lighthouse 12.2.3 (13.x wants Node 22) is installed with npm into a temporary folder outside
# the repository (reused through $LIGHTHOUSE_DIR if set), and drives Debian's chromium.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
site=""
json_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --site) site="$2"; shift 2 ;;
    --json-dir) json_dir="$2"; shift 2 ;;
    *) echo "usage: $0 [--site DIR] [--json-dir DIR]" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d /tmp/workbook-lighthouse-XXXXXX)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

lh_dir="${LIGHTHOUSE_DIR:-$work/lighthouse}"
if [ ! -x "$lh_dir/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$lh_dir"
  (cd "$lh_dir" && npm i -E --silent --no-audit --no-fund lighthouse@12.2.3 >/dev/null)
fi
lighthouse="$lh_dir/node_modules/.bin/lighthouse"

if [ -z "$site" ]; then
  site="$work/site"
  (cd "$here" && NO_MKDOCS_2_WARNING=1 python -m generator build --no-pdf --out "$site" >/dev/null)
fi
[ -n "$json_dir" ] && mkdir -p "$json_dir"

# Serve on a free port; the server prints it.
python - "$site" > "$work/port" <<'EOF' &
import functools, http.server, sys
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args): pass
server = http.server.ThreadingHTTPServer(
    ("127.0.0.1", 0), functools.partial(Quiet, directory=sys.argv[1]))
print(server.server_address[1], flush=True)
server.serve_forever()
EOF
server_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
base="http://127.0.0.1:$(cat "$work/port")"

bank="$(cd "$site/banks" && ls -d -- */ | head -n 1)"
exercise="$(cd "$site/exercises" && ls -d -- */ | head -n 1)"
pages=("" "banks/$bank" "exercises/$exercise")

printf '%-48s %13s %14s %5s\n' page accessibility best-practices seo
for prefix in "" "en/"; do
  for path in "${pages[@]}"; do
    url="$base/$prefix$path"
    name="$(echo "${prefix}${path:-home}" | tr '/' '_')"
    out="$work/$name.json"
    CHROME_PATH=/usr/bin/chromium "$lighthouse" "$url" --quiet --output=json --output-path="$out" \
      --only-categories=accessibility,best-practices,seo \
      --chrome-flags="--headless --no-sandbox --disable-gpu" >/dev/null 2>&1
    [ -n "$json_dir" ] && cp "$out" "$json_dir/"
    python - "$out" "/$prefix$path" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
scores = {key: report["categories"][key]["score"] for key in
          ("accessibility", "best-practices", "seo")}
print(f"{sys.argv[2]:<48} {scores['accessibility']:>13.2f} {scores['best-practices']:>14.2f} "
      f"{scores['seo']:>5.2f}")
failed = sorted({audit_id for category in report["categories"].values()
                 for ref in category["auditRefs"] if ref["weight"] > 0
                 for audit_id in [ref["id"]]
                 if (report["audits"][audit_id]["score"] is not None
                     and report["audits"][audit_id]["score"] < 1)})
if failed:
    print("    failing: " + ", ".join(failed))
EOF
  done
done
