#!/usr/bin/env bash
# Replace the GraphiQL and React files vendored in internal/graphiql/assets
# with the builds from the given npm versions, and rewrite SOURCES.md there.
#
# Usage: scripts/update-graphiql.sh GRAPHIQL_VERSION REACT_VERSION
# Example: scripts/update-graphiql.sh 3.9.0 18.3.1
#
# GRAPHIQL_VERSION must ship the UMD build graphiql.min.js (3.x does), and
# REACT_VERSION must be a React release with UMD builds (18.x does, 19 does
# not). The same version is used for react and react-dom. A range such as
# "18" works, and SOURCES.md records the exact version npm resolved.
#
# Each tarball's integrity is checked against the registry's dist.integrity
# before any file is copied. After an update, run
#   go test -race ./internal/graphiql/
# with /usr/bin/chromium installed, so the browser test renders the page.
set -euo pipefail

if [[ $# -ne 2 ]]; then
	echo "usage: $0 GRAPHIQL_VERSION REACT_VERSION (for example: $0 3.9.0 18.3.1)" >&2
	exit 2
fi
graphiql_version=$1
react_version=$2

repo_root=$(cd "$(dirname "$0")/.." && pwd)
assets_dir=$repo_root/internal/graphiql/assets
work_dir=$(mktemp -d)
trap 'rm -rf "$work_dir"' EXIT

# Each row: package, path inside the package, name under assets/.
vendored_files=(
	"graphiql package/graphiql.min.js graphiql.min.js"
	"graphiql package/graphiql.min.css graphiql.min.css"
	"react package/umd/react.production.min.js react.production.min.js"
	"react-dom package/umd/react-dom.production.min.js react-dom.production.min.js"
)

# pack_and_verify PACKAGE VERSION downloads PACKAGE@VERSION into $work_dir,
# checks its SHA-512 against the registry, unpacks it into
# $work_dir/PACKAGE, and stores the exact version in $work_dir/PACKAGE.version.
pack_and_verify() {
	local package=$1 version=$2
	local pack_json tarball exact expected actual

	pack_json=$(cd "$work_dir" && npm pack --json --silent "$package@$version")
	tarball=$(node -e 'console.log(JSON.parse(process.argv[1])[0].filename)' "$pack_json")
	exact=$(node -e 'console.log(JSON.parse(process.argv[1])[0].version)' "$pack_json")

	expected=$(npm view "$package@$exact" dist.integrity)
	actual=sha512-$(openssl dgst -sha512 -binary "$work_dir/$tarball" | base64 -w0)
	if [[ "$expected" != "$actual" ]]; then
		echo "integrity mismatch for $package@$exact: registry has $expected, tarball has $actual, so retry the download or check the npm registry setting" >&2
		exit 1
	fi

	mkdir -p "$work_dir/$package"
	tar -xzf "$work_dir/$tarball" -C "$work_dir/$package"
	echo "$exact" >"$work_dir/$package.version"
	echo "verified $package@$exact ($expected)"
}

pack_and_verify graphiql "$graphiql_version"
pack_and_verify react "$react_version"
pack_and_verify react-dom "$react_version"

# Check every source file exists before touching assets/, so a failed
# update leaves the old files in place.
for row in "${vendored_files[@]}"; do
	read -r package inner_path _ <<<"$row"
	if [[ ! -s "$work_dir/$package/$inner_path" ]]; then
		echo "missing $inner_path in $package@$(cat "$work_dir/$package.version"), so pick a version that ships this UMD build (graphiql 3.x, react 18.x)" >&2
		exit 1
	fi
done

mkdir -p "$assets_dir"
for row in "${vendored_files[@]}"; do
	read -r package inner_path asset_name <<<"$row"
	cp "$work_dir/$package/$inner_path" "$assets_dir/$asset_name"
done
for package in graphiql react react-dom; do
	cp "$work_dir/$package/package/LICENSE" "$assets_dir/LICENSE-$package"
done

# package_license PACKAGE prints the licence field of PACKAGE's package.json.
package_license() {
	node -e 'console.log(require(process.argv[1]).license)' "$work_dir/$1/package/package.json"
}

{
	echo "# Vendored GraphiQL and React files"
	echo
	echo "These files are copied unmodified from npm tarballs by"
	echo "\`scripts/update-graphiql.sh $(cat "$work_dir/graphiql.version") $(cat "$work_dir/react.version")\`. Do not edit them by hand:"
	echo "run that script with new versions, then \`go test -race ./internal/graphiql/\`"
	echo "with /usr/bin/chromium installed."
	echo
	echo "| File | Package | Version | Path in package | SHA-256 | Licence |"
	echo "|------|---------|---------|-----------------|---------|---------|"
	for row in "${vendored_files[@]}"; do
		read -r package inner_path asset_name <<<"$row"
		sum=$(sha256sum "$assets_dir/$asset_name" | cut -d' ' -f1)
		echo "| $asset_name | $package | $(cat "$work_dir/$package.version") | ${inner_path#package/} | \`$sum\` | $(package_license "$package") (LICENSE-$package) |"
	done
	echo
	echo "LICENSE-graphiql, LICENSE-react and LICENSE-react-dom are the LICENSE"
	echo "files from the same tarballs."
	echo
	echo "graphiql.min.js ends with a sourceMappingURL comment for index.umd.js.map."
	echo "The map is not vendored, so browser developer tools report it as missing."
} >"$assets_dir/SOURCES.md"

echo "updated $assets_dir; now run: go test -race ./internal/graphiql/"
