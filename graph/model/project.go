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

	load := p.docs
	if load == nil {
		load = loader.FromContext(p.ctx).CustomDocs.Load(p.ctx, p.ID)
	}
	return load()
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
	load := p.owner
	if load == nil {
		load = loader.FromContext(p.ctx).User.Load(p.ctx, p.UserID)
	}
	return load()
}

// LatestVersion is the newest version, or nil before the first upload.
func (p *Project) LatestVersion() (*models.IDLVersion, error) {
	load := p.latest
	if load == nil {
		load = loader.FromContext(p.ctx).LatestVersion.Load(p.ctx, p.ID)
	}
	return load()
}

// VersionCount is how many versions the project has.
func (p *Project) VersionCount() (int, error) {
	load := p.count
	if load == nil {
		load = loader.FromContext(p.ctx).VersionCount.Load(p.ctx, p.ID)
	}
	return load()
}

// Socials are the project's social links, or nil when none were set.
func (p *Project) Socials() (*models.ProjectSocials, error) {
	load := p.socials
	if load == nil {
		load = loader.FromContext(p.ctx).Socials.Load(p.ctx, p.ID)
	}
	return load()
}

// KnownAddresses are the project's known addresses in the order they were added.
func (p *Project) KnownAddresses() ([]*models.KnownAddress, error) {
	load := p.known
	if load == nil {
		load = loader.FromContext(p.ctx).KnownAddresses.Load(p.ctx, p.ID)
	}

	rows, err := load()
	if err != nil {
		return nil, err
	}

	out := make([]*models.KnownAddress, len(rows))
	for i := range rows {
		out[i] = &rows[i]
	}
	return out, nil
}
