package model

import (
	"context"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/orquestra/orquestra/internal/loader"
	"github.com/orquestra/orquestra/models"
)

// Project is a stored project as one request serves it.
//
// Its to-one relations and known addresses are methods rather than
// resolvers, because gqlgen runs each resolver field in a goroutine of its
// own, and on a page of projects the goroutines cost more than the reads.
// NewProject starts the loads, so the methods wait for batches already sent.
type Project struct {
	*models.Project

	// ctx is the context of the resolver that read the project. A Project
	// lives for that one request, so its loads run with the request's
	// loaders and caller.
	ctx     context.Context
	owner   dataloader.Thunk[*models.User]
	latest  dataloader.Thunk[*models.IDLVersion]
	count   dataloader.Thunk[int]
	socials dataloader.Thunk[*models.ProjectSocials]
	known   dataloader.Thunk[[]models.KnownAddress]

	// listed is set for a project read by a list, which leaves out the
	// custom docs; CustomDocs then loads them.
	listed bool
	docs   dataloader.Thunk[*string]
}

// NewListedProject is NewProject for a project read by a list, without its
// custom docs. It starts loading them when fields names customDocs or docs.
func NewListedProject(ctx context.Context, p *models.Project, fields map[string]bool) *Project {
	project := NewProject(ctx, p, fields)
	project.listed = true
	if fields["customDocs"] || fields["docs"] {
		project.docs = loader.FromContext(ctx).CustomDocs.Load(ctx, p.ID)
	}

	return project
}

// CustomDocs is the Markdown the owner set in place of the generated docs,
// or nil.
func (p *Project) CustomDocs() (*string, error) {
	if !p.listed {
		return p.Project.CustomDocs, nil
	}

	return await(p.ctx, p.docs, loader.FromContext(p.ctx).CustomDocs, p.ID)
}

// NewProject wraps p for the request of ctx and starts loading the
// relations named in fields, the fields the query selects on the project.
// A relation not named is loaded when its field is read. The methods do not
// write to the Project, so several goroutines may read one.
func NewProject(ctx context.Context, p *models.Project, fields map[string]bool) *Project {
	project := &Project{Project: p, ctx: ctx}
	l := loader.FromContext(ctx)

	if fields[loader.FieldOwner] {
		project.owner = l.User.Load(ctx, p.UserID)
	}
	if fields[loader.FieldLatestVersion] {
		project.latest = l.LatestVersion.Load(ctx, p.ID)
	}
	if fields[loader.FieldVersionCount] {
		project.count = l.VersionCount.Load(ctx, p.ID)
	}
	if fields[loader.FieldSocials] {
		project.socials = l.Socials.Load(ctx, p.ID)
	}
	if fields[loader.FieldKnownAddresses] {
		project.known = l.KnownAddresses.Load(ctx, p.ID)
	}

	return project
}

// Owner is the user who owns the project.
func (p *Project) Owner() (*models.User, error) {
	return await(p.ctx, p.owner, loader.FromContext(p.ctx).User, p.UserID)
}

// LatestVersion is the newest version, or nil before the first upload.
func (p *Project) LatestVersion() (*models.IDLVersion, error) {
	return await(p.ctx, p.latest, loader.FromContext(p.ctx).LatestVersion, p.ID)
}

// VersionCount is how many versions the project has.
func (p *Project) VersionCount() (int, error) {
	return await(p.ctx, p.count, loader.FromContext(p.ctx).VersionCount, p.ID)
}

// Socials are the project's social links, or nil when none were set.
func (p *Project) Socials() (*models.ProjectSocials, error) {
	return await(p.ctx, p.socials, loader.FromContext(p.ctx).Socials, p.ID)
}

// KnownAddresses are the project's known addresses in the order they were added.
func (p *Project) KnownAddresses() ([]*models.KnownAddress, error) {
	rows, err := await(p.ctx, p.known, loader.FromContext(p.ctx).KnownAddresses, p.ID)
	if err != nil {
		return nil, err
	}

	out := make([]*models.KnownAddress, len(rows))
	for i := range rows {
		out[i] = &rows[i]
	}
	return out, nil
}

// await waits for a load the wrapper started, or starts it now when the
// query did not name the field ahead.
func await[K comparable, V any](ctx context.Context, started dataloader.Thunk[V], l *dataloader.Loader[K, V], key K) (V, error) {
	if started == nil {
		started = l.Load(ctx, key)
	}
	return started()
}
