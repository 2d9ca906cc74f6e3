package loader

import (
	"context"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/orquestra/orquestra/models"
)

// Project relations that PrimeProjects can load ahead, by GraphQL field name.
const (
	FieldOwner          = "owner"
	FieldLatestVersion  = "latestVersion"
	FieldVersionCount   = "versionCount"
	FieldSocials        = "socials"
	FieldKnownAddresses = "knownAddresses"
	FieldAPIKeys        = "apiKeys"
)

// PrimeProjects loads the relations named in fields for every project
// of a list, with one statement per relation, and primes the loaders with
// the results.
//
// Loaders batch the loads that arrive within their wait window, which
// depends on how quickly the scheduler runs the field resolvers of a list.
// Priming from the list's resolver makes the statement count of a page
// depend only on the query's shape, even on a busy machine. A relation
// whose statement fails is not primed, so its fields load it again and
// report the error where it belongs.
func (l *Loaders) PrimeProjects(ctx context.Context, projects []models.Project, fields map[string]bool) {
	if len(projects) == 0 || l.unbatched {
		return
	}

	ids := make([]string, len(projects))
	var ownerIDs []string
	seenOwner := map[string]bool{}
	for i, p := range projects {
		ids[i] = p.ID
		if !seenOwner[p.UserID] {
			seenOwner[p.UserID] = true
			ownerIDs = append(ownerIDs, p.UserID)
		}
	}

	if fields[FieldOwner] {
		prime(ctx, l.User, l.batches.users, ownerIDs)
	}
	if fields[FieldLatestVersion] {
		prime(ctx, l.LatestVersion, l.batches.latestVersions, ids)
	}
	if fields[FieldVersionCount] {
		prime(ctx, l.VersionCount, l.batches.versionCounts, ids)
	}
	if fields[FieldSocials] {
		prime(ctx, l.Socials, l.batches.socials, ids)
	}
	if fields[FieldKnownAddresses] {
		prime(ctx, l.KnownAddresses, l.batches.knownAddresses, ids)
	}
	if fields[FieldAPIKeys] {
		prime(ctx, l.APIKeys, l.batches.apiKeys, ids)
	}
}

func prime[K comparable, V any](ctx context.Context, l *dataloader.Loader[K, V], batch dataloader.BatchFunc[K, V], keys []K) {
	results := batch(ctx, keys)
	for i, key := range keys {
		if results[i].Error == nil {
			l.Prime(ctx, key, results[i].Data)
		}
	}
}
