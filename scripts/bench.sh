#!/usr/bin/env bash
# Load benchmark of the public projects page and of one project's detail.
#
# Builds the binary, generates (or reuses) seeded databases with gendata,
# and for each size measures with hey, one server process per run:
#   graphql   the server as it runs in production, page and detail queries
#   n+1       the server with -batching=false, page query
#   sql       the one-statement baseline handler (orquestra baseline), page
# Every server listens on 127.0.0.1 only. Prints a Markdown table of
# requests/s, latency percentiles, SQL statements per request (from
# orquestra_db_queries_total before and after the run) and the server's
# peak resident memory (VmHWM), then the ratios the targets are about.
#
# Settings (environment):
#   BENCH_SIZES        project counts to test          (default "1000 100000")
#   BENCH_DURATION     measured time of each run       (default 20s)
#   BENCH_WARMUP       unmeasured warm-up of each run  (default 3s)
#   BENCH_CONCURRENCY  concurrent clients              (default 32)
#   BENCH_SEED         gendata seed                    (default 1)
#   BENCH_DATA         folder for databases, binary and results
#                      (default ${TMPDIR:-/tmp}/orquestra-bench)
#   BENCH_PORT         port on 127.0.0.1               (default 18931)
#   BENCH_PPROF        1 writes a 10 s CPU profile of each graphql page run
#                      to BENCH_DATA (needs the server's -pprof flag)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
sizes=${BENCH_SIZES:-"1000 100000"}
duration=${BENCH_DURATION:-20s}
warmup=${BENCH_WARMUP:-3s}
concurrency=${BENCH_CONCURRENCY:-32}
seed=${BENCH_SEED:-1}
data=${BENCH_DATA:-${TMPDIR:-/tmp}/orquestra-bench}
port=${BENCH_PORT:-18931}
pprof=${BENCH_PPROF:-0}
addr=127.0.0.1:$port
base=http://$addr

if ! command -v hey >/dev/null; then
	echo "bench: the load tool hey is not installed: install it with apt-get install -y hey" >&2
	exit 1
fi

mkdir -p "$data"
bin=$data/orquestra
results=$data/results.tsv
server_pid=

stop_server() {
	if [[ -n $server_pid ]]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
		server_pid=
	fi
}
trap stop_server EXIT

# database SIZE prints the path of a database of SIZE generated projects,
# generating it unless a complete one is cached.
database() {
	local db=$data/projects-$1-seed$seed.db
	if [[ ! -f $db.done ]]; then
		rm -f "$db" "$db-wal" "$db-shm"
		echo "bench: generating $1 projects into $db" >&2
		"$bin" gendata -db "$db" -projects "$1" -seed "$seed" -log-level warn >&2
		touch "$db.done"
	fi
	echo "$db"
}

# start_server KIND DB [FLAGS...] starts the graphql server or the sql
# baseline on $addr and waits until it serves /metrics.
start_server() {
	local kind=$1 db=$2
	shift 2
	if [[ $kind == sql ]]; then
		"$bin" baseline -db "$db" -addr "$addr" -log-level warn "$@" 2>>"$data/server.log" &
	else
		"$bin" serve -db "$db" -addr "$addr" -log-level warn "$@" 2>>"$data/server.log" &
	fi
	server_pid=$!

	for _ in $(seq 1 100); do
		if curl -sf -o /dev/null "$base/metrics"; then
			return 0
		fi
		if ! kill -0 "$server_pid" 2>/dev/null; then
			echo "bench: the server exited at start: see $data/server.log" >&2
			exit 1
		fi
		sleep 0.1
	done
	echo "bench: the server did not respond on $addr within 10 s: see $data/server.log" >&2
	exit 1
}

statements_total() {
	curl -sf "$base/metrics" | awk '$1 == "orquestra_db_queries_total" { printf "%d\n", $2 }'
}

# load TIME URL BODY runs hey against URL for TIME. BODY is a JSON file to
# POST, or empty for GET. It prints hey's report.
load() {
	local time=$1 url=$2 body=$3
	if [[ -n $body ]]; then
		hey -z "$time" -c "$concurrency" -m POST -T application/json -D "$body" "$url"
	else
		hey -z "$time" -c "$concurrency" "$url"
	fi
}

# measure SIZE KIND QUERY URL BODY runs one warmed-up measurement against
# the running server and appends a row to $results.
measure() {
	local size=$1 kind=$2 query=$3 url=$4 body=$5
	local report=$data/hey-$size-$kind-$query.txt

	# One request first: a GraphQL error would otherwise pass as a 200.
	local probe
	if [[ -n $body ]]; then
		probe=$(curl -sf -H 'Content-Type: application/json' --data-binary "@$body" "$url")
	else
		probe=$(curl -sf "$url")
	fi
	if [[ $probe == '{"errors"'* || $probe != *'"data"'* ]]; then
		echo "bench: $kind $query returned an error: ${probe:0:300}" >&2
		exit 1
	fi

	load "$warmup" "$url" "$body" >/dev/null
	local before profile_pid=
	before=$(statements_total)
	if [[ $pprof == 1 && $kind == graphql && $query == page ]]; then
		curl -sf -o "$data/cpu-$size-$kind-$query.pprof" "$base/debug/pprof/profile?seconds=10" &
		profile_pid=$!
	fi
	load "$duration" "$url" "$body" >"$report"
	if [[ -n $profile_pid ]]; then
		wait "$profile_pid"
	fi
	local after
	after=$(statements_total)

	local hwm
	hwm=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status")

	awk -v size="$size" -v kind="$kind" -v query="$query" -v statements="$((after - before))" -v hwm="$hwm" '
		/Requests\/sec:/ { rps = $2 }
		/ 50% in / { p50 = $3 * 1000 }
		/ 90% in / { p90 = $3 * 1000 }
		/ 99% in / { p99 = $3 * 1000 }
		/^ *\[[0-9]+\]/ { code = $1; gsub(/[][]/, "", code); n += $2; if (code != 200) failed += $2 }
		END {
			if (n == 0) { print "bench: no responses in the report" > "/dev/stderr"; exit 1 }
			printf "%s\t%s\t%s\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t%d\t%d\n",
				size, kind, query, rps, p50, p90, p99, p99 / p50, statements / n, hwm, n, failed
		}' "$report" >>"$results"
	tail -n 1 "$results" >&2
}

echo "bench: building $bin" >&2
(cd "$root" && go build -o "$bin" .)

: >"$results"
: >"$data/server.log"
detail_body=$data/detail.json

for size in $sizes; do
	db=$(database "$size")
	page_body=$root/scripts/bench/page.json
	pprof_flags=()
	if [[ $pprof == 1 ]]; then
		pprof_flags=(-pprof)
	fi

	start_server graphql "$db" "${pprof_flags[@]}"
	measure "$size" graphql page "$base/query" "$page_body"
	stop_server

	start_server graphql "$db"
	id=$(curl -sf -H 'Content-Type: application/json' \
		--data '{"query": "{ projects(first: 1) { edges { node { id } } } }"}' "$base/query" |
		grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
	sed "s/PROJECT_ID/$id/" "$root/scripts/bench/detail.json" >"$detail_body"
	measure "$size" graphql detail "$base/query" "$detail_body"
	stop_server

	start_server graphql "$db" -batching=false
	measure "$size" n+1 page "$base/query" "$page_body"
	stop_server

	start_server sql "$db"
	measure "$size" sql page "$base/projects?first=50" ""
	stop_server
done

# The report: one table of runs, then the ratios.
{
	echo "| projects | server | query | requests/s | p50 ms | p90 ms | p99 ms | p99/p50 | statements/request | peak RSS MiB | requests | non-200 |"
	echo "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 }' "$results"
	echo
	echo "| projects | graphql page / sql page (requests/s) | graphql page / n+1 page (requests/s) |"
	echo "| ---: | ---: | ---: |"
	awk -F'\t' '
		$3 == "page" { rps[$1 "," $2] = $4; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
		END {
			for (i = 1; i <= n; i++) {
				s = order[i]
				printf "| %s | %.2f | %.1f |\n", s, rps[s ",graphql"] / rps[s ",sql"], rps[s ",graphql"] / rps[s ",n+1"]
			}
		}' "$results"
	echo
	awk -F'\t' '
		$2 == "graphql" && $3 == "page" { p50[++n] = $5; size[n] = $1 }
		END {
			if (n >= 2) printf "graphql page p50 at %s projects / at %s projects: %.2f\n", size[n], size[1], p50[n] / p50[1]
		}' "$results"
} | tee "$data/results.md"

echo "bench: reports and results in $data" >&2
