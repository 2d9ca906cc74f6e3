// Package gendata fills an empty database with a synthetic platform for
// benchmarks and scale tests: users, projects, IDL versions built from the
// embedded corpus IDLs, socials and known addresses. The same seed and
// project count always give the same rows.
package gendata

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/models"
)

// The shape of the generated platform.
const (
	// ProjectsPerUser is the ratio of projects to users: N projects get
	// N/10 owners (at least one), each project going to an owner drawn at
	// random.
	ProjectsPerUser = 10
	// PublicShare is the share of public projects. The others are private.
	PublicShare = 0.8
	// MaxVersions is the maximum number of IDL versions of a project. Each
	// project has 1 to MaxVersions, drawn uniformly.
	MaxVersions = 5
	// MaxKnownAddresses is the maximum number of known addresses of a
	// project. Each project has 0 to MaxKnownAddresses, drawn uniformly.
	MaxKnownAddresses = 3
)

// projectsPerTransaction is how many projects, with their rows, one write
// transaction inserts.
const projectsPerTransaction = 2000

// epoch is the creation time of the first generated user. Later rows are
// created minutes apart, so a run does not depend on the clock.
var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// Options select what to generate.
type Options struct {
	// Projects is the number of projects, at least 1.
	Projects int
	// Seed selects the random values.
	Seed uint64
}

// Result counts the rows generated.
type Result struct {
	Users          int
	Projects       int
	PublicProjects int
	Versions       int
	KnownAddresses int
}

// Generate inserts a synthetic platform into store, which must be migrated
// and have no users yet.
//
// Versions are built from the embedded corpus IDLs of up to 16 KiB, mostly
// those of up to 4 KiB, and reuse their texts. Only a project's latest
// version has Markdown docs: those the docs generator writes for its IDL
// without known addresses, stored as uploaded docs (docs_generated false).
// Older versions have none, which keeps the file small.
//
// NOTE: program ids and known addresses are random keys, so an IDL that
// declares a program address names another program than its project's.
func Generate(ctx context.Context, store *storage.Store, opts Options) (Result, error) {
	var res Result
	if opts.Projects < 1 {
		return res, fmt.Errorf("generate data: %d projects requested: ask for at least 1", opts.Projects)
	}

	stats, err := store.PlatformStats(ctx)
	if err != nil {
		return res, err
	}
	if stats.Users > 0 {
		return res, fmt.Errorf("generate data: the database already has %d users: generate into a new, empty database", stats.Users)
	}

	pool, err := newIDLPool()
	if err != nil {
		return res, err
	}

	g := &generator{r: newSource(opts.Seed), pool: pool}
	users := g.users(max(1, opts.Projects/ProjectsPerUser))
	for start := 0; start < len(users); start += projectsPerTransaction {
		part := users[start:min(start+projectsPerTransaction, len(users))]
		if err := store.InsertBulk(ctx, &storage.Bulk{Users: part}); err != nil {
			return res, err
		}
	}
	res.Users = len(users)

	projectsStart := epoch.Add(time.Duration(len(users)) * time.Minute)
	for start := 0; start < opts.Projects; start += projectsPerTransaction {
		bulk := &storage.Bulk{}
		for i := start; i < min(start+projectsPerTransaction, opts.Projects); i++ {
			created := projectsStart.Add(time.Duration(i) * time.Minute)
			g.project(bulk, users, i, created)
		}

		if err := store.InsertBulk(ctx, bulk); err != nil {
			return res, err
		}

		res.Projects += len(bulk.Projects)
		res.Versions += len(bulk.Versions)
		res.KnownAddresses += len(bulk.KnownAddresses)
		for _, p := range bulk.Projects {
			if p.IsPublic {
				res.PublicProjects++
			}
		}
	}

	return res, nil
}

// generator draws the rows, in a fixed order, from one seeded source.
type generator struct {
	r    *source
	pool *idlPool
}

func (g *generator) users(n int) []models.User {
	users := make([]models.User, n)
	for i := range users {
		created := epoch.Add(time.Duration(i) * time.Minute)
		username := fmt.Sprintf("%s-%s-%d", g.r.word(adjectives), g.r.word(nouns), i+1)
		githubID := int64(10_000_000 + i)

		users[i] = models.User{
			ID:        g.r.uuidV7(created),
			GitHubID:  githubID,
			Username:  username,
			Email:     fmt.Sprintf("%d+%s@users.noreply.github.com", githubID, username),
			CreatedAt: created,
			UpdatedAt: created,
		}
	}

	return users
}

// project adds project i, created at created, with its versions, socials
// and known addresses to bulk.
func (g *generator) project(bulk *storage.Bulk, users []models.User, i int, created time.Time) {
	r := g.r
	adjective, noun := r.word(adjectives), r.word(nouns)
	project := models.Project{
		ID:          r.uuidV7(created),
		UserID:      users[r.IntN(len(users))].ID,
		Name:        titleCase(adjective) + " " + titleCase(noun),
		Description: fmt.Sprintf("A %s %s program on Solana, synthetic project %d.", adjective, noun, i+1),
		ProgramID:   r.publicKey(),
		IsPublic:    r.chance(PublicShare),
		CreatedAt:   created,
	}

	versions := 1 + r.IntN(MaxVersions)
	var previous *idlText
	for n := 1; n <= versions; n++ {
		text := g.pool.pick(r, previous)
		previous = text

		published := created.Add(time.Duration(n-1)*24*time.Hour + time.Duration(r.IntN(3600))*time.Second)
		if n == 1 {
			published = created
		}

		version := models.IDLVersion{
			ID:        r.uuidV7(published),
			ProjectID: project.ID,
			IDLJSON:   text.json,
			Version:   n,
			Format:    text.format,
			SHA256:    text.sha256,
			SizeBytes: len(text.json),
			CreatedAt: published,
		}
		if n == versions {
			docs := text.docs
			version.CpiMd = &docs
		}
		bulk.Versions = append(bulk.Versions, version)
		project.UpdatedAt = published
	}

	bulk.Projects = append(bulk.Projects, project)
	bulk.Socials = append(bulk.Socials, g.socials(project.ID, noun, i, created))

	for n := range r.IntN(MaxKnownAddresses + 1) {
		added := created.Add(time.Duration(n+1) * time.Hour)
		bulk.KnownAddresses = append(bulk.KnownAddresses, models.KnownAddress{
			ID:        r.uuidV7(added),
			ProjectID: project.ID,
			Label:     r.word(addressLabels),
			Address:   r.publicKey(),
			CreatedAt: added,
			UpdatedAt: added,
		})
	}
}

// socials returns a project's socials row with links in the canonical
// forms that setProjectSocials stores.
func (g *generator) socials(projectID, noun string, i int, created time.Time) models.ProjectSocials {
	r := g.r
	handle := fmt.Sprintf("%s%d", noun, i+1)
	link := func(p float64, base string) *string {
		if !r.chance(p) {
			return nil
		}
		s := base + handle
		return &s
	}

	return models.ProjectSocials{
		ID:        r.uuidV7(created),
		ProjectID: projectID,
		Website:   link(0.7, "https://example.com/"),
		Twitter:   link(0.5, "https://x.com/"),
		GitHub:    link(0.4, "https://github.com/"),
		Discord:   link(0.2, "https://discord.gg/"),
		Telegram:  link(0.2, "https://t.me/"),
		CreatedAt: created,
		UpdatedAt: created,
	}
}

func titleCase(word string) string {
	return strings.ToUpper(word[:1]) + word[1:]
}

var adjectives = []string{
	"amber", "bold", "brisk", "calm", "clear", "cosmic", "crimson", "deep", "eager", "fair",
	"golden", "green", "hidden", "iron", "jolly", "keen", "lunar", "mellow", "nimble", "noble",
	"open", "quick", "quiet", "rapid", "silent", "silver", "solar", "steady", "swift", "vivid",
}

var nouns = []string{
	"anchor", "bridge", "cascade", "comet", "delta", "ember", "falcon", "forge", "harbor", "ledger",
	"lever", "meteor", "nexus", "oracle", "orbit", "pulse", "quasar", "raven", "river", "signal",
	"spark", "summit", "tide", "vault", "vector", "willow", "zenith", "market", "pool", "swap",
}

var addressLabels = []string{
	"Treasury", "Upgrade authority", "Fee vault", "Oracle", "Admin", "Pool state", "Mint", "Config",
}
