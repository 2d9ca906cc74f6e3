package auth

import (
	"context"
	"fmt"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/models"
)

// Action is something a caller may or may not do. Every mutation and every
// owner-only field names one, and Authorize decides it from the rule table
// below, so that the rules cannot drift between resolvers.
type Action string

// The actions, each named by what the caller does.
const (
	// ActionReadProject reads a project and everything below it.
	ActionReadProject Action = "read the project"
	// ActionReadEmail reads a user's email address.
	ActionReadEmail Action = "read the email address"
	// ActionListKeys lists a project's API keys (without their secrets).
	ActionListKeys Action = "list the project's API keys"
	// ActionCreateProject uploads a new project.
	ActionCreateProject Action = "create a project"
	// ActionPublish adds an IDL version to a project.
	ActionPublish Action = "publish an IDL version"
	// ActionEditProject changes a project's fields, socials, known
	// addresses or custom docs.
	ActionEditProject Action = "change the project"
	// ActionDeleteProject deletes a project with everything below it.
	ActionDeleteProject Action = "delete the project"
	// ActionManageKeys creates, rotates and revokes a project's API keys.
	ActionManageKeys Action = "manage the project's API keys"
)

// Rule lists the callers allowed to perform an action. The owner of the
// resource is always allowed.
type Rule struct {
	// Anyone allows every caller, anonymous ones included, when the project
	// is public.
	Anyone bool
	// AnyUser allows every signed-in user, whatever the resource.
	AnyUser bool
	// ProjectKey allows an API key of the resource's project.
	ProjectKey bool
	// Read marks a read: a denied caller gets FORBIDDEN (or nothing, through
	// Can) instead of UNAUTHENTICATED, because reading less is not an error
	// of the caller's credentials.
	Read bool
}

// Rules is the table of who may do what. An API key is allowed only where
// ProjectKey is set: it may read its own project and publish to it, and
// nothing else.
var Rules = map[Action]Rule{
	ActionReadProject:   {Anyone: true, ProjectKey: true, Read: true},
	ActionReadEmail:     {Read: true},
	ActionListKeys:      {Read: true},
	ActionCreateProject: {AnyUser: true},
	ActionPublish:       {ProjectKey: true},
	ActionEditProject:   {},
	ActionDeleteProject: {},
	ActionManageKeys:    {},
}

// Resource is the target of an action: a project, or a user's own data.
type Resource struct {
	// ProjectID is the project, or empty for a user's data.
	ProjectID string
	// OwnerID is the user who owns the project, or the user whose data it is.
	OwnerID string
	// IsPublic is the project's visibility. A user's own data is never public.
	IsPublic bool
}

// ProjectResource returns a project as a resource.
func ProjectResource(p *models.Project) Resource {
	return Resource{ProjectID: p.ID, OwnerID: p.UserID, IsPublic: p.IsPublic}
}

// UserResource returns a user's own data, such as their email, as a resource.
func UserResource(u *models.User) Resource {
	return Resource{OwnerID: u.ID}
}

// Can reports whether the caller may perform action on res.
func Can(ctx context.Context, action Action, res Resource) bool {
	return Authorize(ctx, action, res) == nil
}

// Authorize returns nil when the caller may perform action on res, and
// otherwise the error for the client:
//
//   - UNAUTHENTICATED for an anonymous caller of a mutation;
//   - FORBIDDEN for an API key outside its rights, whether or not the target
//     project exists, so a key learns nothing about other projects;
//   - NOT_FOUND for a signed-in user and a private project of someone else,
//     exactly as for a project that does not exist;
//   - FORBIDDEN for a signed-in user who is not the owner, and for every
//     denied read.
func Authorize(ctx context.Context, action Action, res Resource) error {
	rule, ok := Rules[action]
	if !ok {
		return fmt.Errorf("authorize %q: the action has no rule", action)
	}

	id := FromContext(ctx)
	switch {
	case id.KeyProjectID != "":
		return authorizeKey(id, action, rule, res)
	case id.User != nil:
		return authorizeUser(id.User, action, rule, res)
	default:
		return authorizeAnonymous(action, rule, res)
	}
}

// AuthorizeCaller rejects a caller who may not perform action on any
// resource: an anonymous caller of a mutation, and an API key for an action
// keys may never perform. It runs before anything is loaded, so the result
// does not depend on whether the target exists.
func AuthorizeCaller(ctx context.Context, action Action) error {
	rule, ok := Rules[action]
	if !ok {
		return fmt.Errorf("authorize %q: the action has no rule", action)
	}

	id := FromContext(ctx)
	switch {
	case id.KeyProjectID != "" && !rule.ProjectKey && !rule.Anyone:
		return authorizeKey(id, action, rule, Resource{})
	case id.KeyProjectID == "" && id.User == nil && !rule.Read && !rule.Anyone:
		return authorizeAnonymous(action, rule, Resource{})
	default:
		return nil
	}
}

// AuthorizeProjectID does AuthorizeCaller's check, and also rejects an API
// key acting on another project than its own, from the project id alone.
// Authorize must still be called on the loaded project.
func AuthorizeProjectID(ctx context.Context, action Action, projectID string) error {
	if err := AuthorizeCaller(ctx, action); err != nil {
		return err
	}

	rule := Rules[action]
	id := FromContext(ctx)
	if id.KeyProjectID != "" && !rule.Anyone && projectID != id.KeyProjectID {
		return authorizeKey(id, action, rule, Resource{ProjectID: projectID})
	}

	return nil
}

func authorizeKey(id Identity, action Action, rule Rule, res Resource) error {
	if rule.Anyone && res.IsPublic {
		return nil
	}
	if rule.ProjectKey && res.ProjectID != "" && res.ProjectID == id.KeyProjectID {
		return nil
	}

	if rule.ProjectKey {
		return apperr.New(apperr.Forbidden, "an API key may %s only for its own project %s, not for %s", action, id.KeyProjectID, res.ProjectID)
	}
	return apperr.New(apperr.Forbidden, "an API key may not %s: it may only read its project and publish IDL versions to it; sign in as the owner instead", action)
}

func authorizeUser(user *models.User, action Action, rule Rule, res Resource) error {
	if rule.AnyUser || user.ID == res.OwnerID {
		return nil
	}
	if rule.Anyone && res.IsPublic {
		return nil
	}

	if res.ProjectID != "" && !res.IsPublic && !rule.Read {
		return apperr.New(apperr.NotFound, "project %s not found", res.ProjectID)
	}
	return apperr.New(apperr.Forbidden, "only the owner may %s", action)
}

func authorizeAnonymous(action Action, rule Rule, res Resource) error {
	if rule.Anyone && res.IsPublic {
		return nil
	}

	if rule.Read {
		return apperr.New(apperr.Forbidden, "only the owner may %s", action)
	}
	if rule.ProjectKey {
		return apperr.New(apperr.Unauthenticated, "sign in to %s: send Authorization: Bearer <token> or the project's X-API-Key", action)
	}
	return apperr.New(apperr.Unauthenticated, "sign in to %s: send Authorization: Bearer <token>", action)
}

// RequireUser returns the signed-in user. An anonymous caller gets
// UNAUTHENTICATED and an API key FORBIDDEN, because keys act for a project,
// never for a user.
func RequireUser(ctx context.Context) (*models.User, error) {
	id := FromContext(ctx)
	if id.KeyProjectID != "" {
		return nil, apperr.New(apperr.Forbidden, "an API key acts for its project, not for a user: sign in instead")
	}
	if id.User == nil {
		return nil, apperr.New(apperr.Unauthenticated, "sign in first: send Authorization: Bearer <token>")
	}

	return id.User, nil
}
