package loader

import (
	"context"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/orquestra/orquestra/internal/storage"
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

// Joins returns the to-one relations a project list should read in its own
// statement, given the fields the query selects on its items. Without
// batching it returns none, so that each item loads its relations alone.
func (l *Loaders) Joins(fields map[string]bool) storage.Joins {
	if l.unbatched {
		return storage.Joins{}
	}

	return storage.Joins{
		Owner:         fields[FieldOwner],
		LatestVersion: fields[FieldLatestVersion],
		VersionCount:  fields[FieldVersionCount],
		Socials:       fields[FieldSocials],
	}
}

// PrimeProjects primes the loaders with the relations a list read with its
// projects (joins), and loads the to-many relations named in fields with
// one statement each.
//
// Loaders batch the loads that arrive within their wait window, which
// depends on how quickly the scheduler runs the field resolvers of a list.
// Priming from the list's resolver makes the statement count of a page
// depend only on the query's shape, even on a busy machine. A relation
// whose statement fails is not primed, so its fields load it again and
// report the error where it belongs.
func (l *Loaders) PrimeProjects(ctx context.Context, projects []storage.ListedProject, joins storage.Joins, fields map[string]bool) {
	if len(projects) == 0 || l.unbatched {
		return
	}

	ids := make([]string, len(projects))
	for i := range projects {
		p := &projects[i]
		ids[i] = p.ID
		if joins.Owner {
			l.User.Prime(ctx, p.UserID, p.Owner)
		}
		if joins.LatestVersion {
			l.LatestVersion.Prime(ctx, p.ID, p.LatestVersion)
		}
		if joins.VersionCount {
			l.VersionCount.Prime(ctx, p.ID, p.VersionCount)
		}
		if joins.Socials {
			l.Socials.Prime(ctx, p.ID, p.Socials)
		}
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
