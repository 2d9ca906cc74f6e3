// Package baseline serves the public projects page without GraphQL: one
// hand-written SQL statement and encoding/json behind a plain net/http
// handler. Benchmarks compare the GraphQL server with it on the same
// database, to show what the GraphQL layer and its loaders cost.
package baseline

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/orquestra/orquestra/internal/storage"
)

// MaxPage is the largest page, the same cap as the GraphQL lists.
const MaxPage = 100

// pageSQL reads a page of public projects, newest first, with every field
// of the benchmark's GraphQL page query. Subqueries read the latest version
// and version count through UNIQUE (project_id, version); SQLite's JSON
// functions build the known addresses, in the order they were added.
const pageSQL = `SELECT p.name, u.username,
  (SELECT MAX(v.version) FROM idl_versions AS v WHERE v.project_id = p.id) AS latest_version,
  (SELECT COUNT(*) FROM idl_versions AS v WHERE v.project_id = p.id) AS version_count,
  s.id IS NOT NULL AS has_socials, s.website,
  (SELECT json_group_array(json_object('address', k.address))
     FROM (SELECT a.address FROM known_addresses AS a WHERE a.project_id = p.id ORDER BY a.id) AS k) AS known_addresses
FROM projects AS p
JOIN users AS u ON u.id = p.user_id
LEFT JOIN project_socials AS s ON s.project_id = p.id
WHERE p.is_public = TRUE
ORDER BY p.id DESC
LIMIT ?`

// The response has the shape of the GraphQL response to
// projects(first: N) { edges { node { name owner { username }
// latestVersion { version } versionCount socials { website }
// knownAddresses { address } } } }.
type (
	response struct {
		Data struct {
			Projects struct {
				Edges []edge `json:"edges"`
			} `json:"projects"`
		} `json:"data"`
	}
	edge struct {
		Node node `json:"node"`
	}
	node struct {
		Name           string          `json:"name"`
		Owner          owner           `json:"owner"`
		LatestVersion  *latestVersion  `json:"latestVersion"`
		VersionCount   int             `json:"versionCount"`
		Socials        *socials        `json:"socials"`
		KnownAddresses json.RawMessage `json:"knownAddresses"`
	}
	owner struct {
		Username string `json:"username"`
	}
	latestVersion struct {
		Version int `json:"version"`
	}
	socials struct {
		Website *string `json:"website"`
	}
)

// Handler serves GET /projects?first=N (default 50, at most MaxPage) and
// GET /metrics with orquestra_db_queries_total, as the server does, so that
// a benchmark counts statements the same way for both.
func Handler(store *storage.Store, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()

	mux.HandleFunc("GET /projects", func(w http.ResponseWriter, r *http.Request) {
		first := 50
		if s := r.URL.Query().Get("first"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 || n > MaxPage {
				http.Error(w, fmt.Sprintf("invalid first %q: give a number from 0 to %d", s, MaxPage), http.StatusBadRequest)
				return
			}
			first = n
		}

		page, err := readPage(r.Context(), store, first)
		if err != nil {
			log.ErrorContext(r.Context(), "baseline page", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}

		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(page); err != nil {
			log.WarnContext(r.Context(), "write baseline page", "err", err)
		}
	})

	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		fmt.Fprintf(w, "# HELP orquestra_db_queries_total SQL statements executed.\n# TYPE orquestra_db_queries_total counter\norquestra_db_queries_total %d\n", store.Queries())
	})

	return mux
}

func readPage(ctx context.Context, store *storage.Store, first int) (*response, error) {
	rows, err := store.DB().QueryContext(ctx, pageSQL, first)
	if err != nil {
		return nil, fmt.Errorf("read page of %d public projects: %w", first, err)
	}
	defer rows.Close()

	page := &response{}
	edges := make([]edge, 0, first)
	for rows.Next() {
		var (
			n          node
			latest     *int
			hasSocials bool
			website    *string
			addresses  string
		)
		if err := rows.Scan(&n.Name, &n.Owner.Username, &latest, &n.VersionCount, &hasSocials, &website, &addresses); err != nil {
			return nil, fmt.Errorf("scan public project: %w", err)
		}

		if latest != nil {
			n.LatestVersion = &latestVersion{Version: *latest}
		}
		if hasSocials {
			n.Socials = &socials{Website: website}
		}
		n.KnownAddresses = json.RawMessage(addresses)
		edges = append(edges, edge{Node: n})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read page of %d public projects: %w", first, err)
	}

	page.Data.Projects.Edges = edges
	return page, nil
}
