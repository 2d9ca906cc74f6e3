package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/orquestra/orquestra/graph/model"
	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/input"
	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/internal/upload"
	"github.com/orquestra/orquestra/models"
)

func (r *Resolver) uploadIdl(ctx context.Context, in model.UploadIdlInput) (*model.UploadIdlPayload, error) {
	if err := auth.Authorize(ctx, auth.ActionCreateProject, auth.Resource{}); err != nil {
		return nil, err
	}
	user, err := auth.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	if err := r.allowUpload(ctx); err != nil {
		return nil, err
	}

	project := models.Project{UserID: user.ID, IsPublic: in.IsPublic == nil || *in.IsPublic}
	if project.Name, err = input.ProjectName("input.name", in.Name); err != nil {
		return nil, err
	}
	if project.Description, err = input.Description("input.description", deref(in.Description)); err != nil {
		return nil, err
	}
	if project.ProgramID, err = input.Address("input.programId", in.ProgramID); err != nil {
		return nil, err
	}

	doc, err := r.Uploads.Read(documents(in.Idl, in.IdlJSON, in.CpiMd, in.CpiMdFile))
	if err != nil {
		return nil, err
	}
	if err := upload.CheckAddress(doc, "input.programId", project.ProgramID, true); err != nil {
		return nil, err
	}

	created, version, err := r.Uploads.CreateProject(ctx, project, doc)
	if err != nil {
		return nil, err
	}

	return &model.UploadIdlPayload{Project: model.NewProject(ctx, created, nil), Version: version}, nil
}

func (r *Resolver) publishIdlVersion(ctx context.Context, in model.PublishIdlVersionInput) (*models.IDLVersion, error) {
	project, err := r.authorizedProject(ctx, auth.ActionPublish, in.ProjectID)
	if err != nil {
		return nil, err
	}
	if err := r.allowUpload(ctx); err != nil {
		return nil, err
	}

	doc, err := r.Uploads.Read(documents(in.Idl, in.IdlJSON, in.CpiMd, in.CpiMdFile))
	if err != nil {
		return nil, err
	}
	if err := upload.CheckAddress(doc, docsField(in.Idl), project.ProgramID, false); err != nil {
		return nil, err
	}

	return r.Uploads.Publish(ctx, project.ID, doc)
}

// documents names an upload's inputs for upload.Read.
func documents(file *graphql.Upload, json *string, markdown *string, markdownFile *graphql.Upload) upload.Documents {
	docs := upload.Documents{
		IDL:           upload.Source{String: json},
		Markdown:      upload.Source{String: markdown},
		IDLField:      "input.idlJson",
		MarkdownField: "input.cpiMd",
	}
	if file != nil {
		docs.IDL.File = file.File
		docs.IDLField = "input.idl"
	}
	if markdownFile != nil {
		docs.Markdown.File = markdownFile.File
		docs.MarkdownField = "input.cpiMdFile"
	}

	return docs
}

// docsField names the input field that carried the IDL.
func docsField(file *graphql.Upload) string {
	if file != nil {
		return "input.idl"
	}

	return "input.idlJson"
}

func (r *Resolver) updateProject(ctx context.Context, id string, in model.UpdateProjectInput) (*models.Project, error) {
	project, err := r.authorizedProject(ctx, auth.ActionEditProject, id)
	if err != nil {
		return nil, err
	}

	var update storage.ProjectUpdate
	if in.Name != nil {
		name, err := input.ProjectName("input.name", *in.Name)
		if err != nil {
			return nil, err
		}
		update.Name = &name
	}
	if description, set := in.Description.ValueOK(); set {
		text, err := input.Description("input.description", deref(description))
		if err != nil {
			return nil, err
		}
		update.Description = &text
	}
	update.IsPublic = in.IsPublic

	updated, err := r.Store.UpdateProject(ctx, project.ID, update)
	if err == nil && in.IsPublic != nil {
		r.projectChanged(ctx, project.ID)
	}
	return updated, err
}

func (r *Resolver) setCustomDocs(ctx context.Context, projectID string, markdown *string) (*models.Project, error) {
	project, err := r.authorizedProject(ctx, auth.ActionEditProject, projectID)
	if err != nil {
		return nil, err
	}

	if markdown != nil {
		doc := upload.Documents{Markdown: upload.Source{String: markdown}, MarkdownField: "markdown"}
		text, err := upload.ReadMarkdown(doc)
		if err != nil {
			return nil, err
		}
		if text == nil {
			return nil, apperr.Field("markdown", "the Markdown is empty: send the docs, or call resetCustomDocs to serve the generated docs again")
		}
	}

	update := storage.ProjectUpdate{CustomDocs: markdown, SetCustomDocs: true}
	return r.Store.UpdateProject(ctx, project.ID, update)
}
