// Package upload turns an uploaded IDL and its optional Markdown into a
// stored version: it reads them within their size limits, checks the IDL,
// hashes it, documents it and hands the rows to storage.
package upload

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/internal/idl"
	"github.com/orquestra/orquestra/internal/storage"
	"github.com/orquestra/orquestra/models"
)

// Size limits of uploaded documents, in bytes.
const (
	MaxIDLBytes      = 10 << 20
	MaxMarkdownBytes = 5 << 20
)

// Source is one uploaded document: a file of a multipart request or a
// string of the GraphQL variables. At most one of the two is set.
type Source struct {
	File   io.Reader
	String *string
}

func (s Source) empty() bool {
	return s.File == nil && s.String == nil
}

// Documents are the IDL and the optional Markdown of one upload, and the
// input field names to blame in errors.
type Documents struct {
	IDL           Source
	IDLFile       bool
	Markdown      Source
	FieldPrefix   string
	IDLField      string
	MarkdownField string
}

// Document is a checked IDL ready to store.
type Document struct {
	JSON     []byte
	SHA256   string
	Format   idl.Format
	Markdown *string
}

// Documenter writes Markdown docs for an IDL, for versions uploaded without
// their own. It returns nil when it cannot document the IDL.
type Documenter func(ctx context.Context, doc *Document, projectID string) *string

// Service stores uploaded IDL versions.
type Service struct {
	store *storage.Store
	docs  Documenter
}

// NewService returns an upload service. docs may be nil: versions uploaded
// without Markdown then have none.
func NewService(store *storage.Store, docs Documenter) *Service {
	return &Service{store: store, docs: docs}
}

// Read reads and checks an upload's documents.
func Read(in Documents) (*Document, error) {
	raw, err := readIDL(in)
	if err != nil {
		return nil, err
	}

	format, err := idl.Detect(raw)
	var invalid *idl.InvalidError
	if errors.As(err, &invalid) {
		return nil, invalidIDL(in.IDLField, invalid)
	}
	if err != nil {
		return nil, err
	}

	markdown, err := ReadMarkdown(in)
	if err != nil {
		return nil, err
	}

	sum := sha256.Sum256(raw)
	return &Document{JSON: raw, SHA256: hex.EncodeToString(sum[:]), Format: format, Markdown: markdown}, nil
}

func readIDL(in Documents) ([]byte, error) {
	if in.IDL.empty() {
		return nil, apperr.Field(in.IDLField, "no IDL given: send it as the file %s or as the JSON string %sidlJson", in.IDLField, in.FieldPrefix)
	}
	if in.IDL.File != nil && in.IDL.String != nil {
		return nil, apperr.Field(in.IDLField, "both a file and a JSON string were given: send the IDL once")
	}

	raw, err := readLimited(in.IDL, MaxIDLBytes, in.IDLField, "IDL")
	if err != nil {
		return nil, err
	}

	// A byte order mark is not JSON; editors on some systems add one.
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(raw) {
		return nil, apperr.Field(in.IDLField, "the IDL is not valid UTF-8: save it as UTF-8 JSON")
	}

	return raw, nil
}

// ReadMarkdown reads and checks an upload's Markdown; it returns nil when none was sent.
func ReadMarkdown(in Documents) (*string, error) {
	if in.Markdown.empty() {
		return nil, nil
	}
	if in.Markdown.File != nil && in.Markdown.String != nil {
		return nil, apperr.Field(in.MarkdownField, "both cpiMd and cpiMdFile were given: send the Markdown once")
	}

	raw, err := readLimited(in.Markdown, MaxMarkdownBytes, in.MarkdownField, "Markdown")
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(raw) {
		return nil, apperr.Field(in.MarkdownField, "the Markdown is not valid UTF-8: save it as UTF-8")
	}

	text := string(raw)
	return &text, nil
}

// readLimited reads a document and rejects it once it passes limit bytes,
// without reading the rest.
func readLimited(src Source, limit int64, field, what string) ([]byte, error) {
	tooLarge := &apperr.Error{
		Kind:    apperr.TooLarge,
		Field:   field,
		Message: fmt.Sprintf("the %s is larger than %d MiB, the limit: make it smaller", what, limit>>20),
	}

	if src.String != nil {
		if int64(len(*src.String)) > limit {
			return nil, tooLarge
		}
		return []byte(*src.String), nil
	}

	raw, err := io.ReadAll(io.LimitReader(src.File, limit+1))
	if err != nil {
		return nil, apperr.Field(field, "the %s file could not be read: %v: send it again", what, err)
	}
	if int64(len(raw)) > limit {
		return nil, tooLarge
	}

	return raw, nil
}

func invalidIDL(field string, err *idl.InvalidError) error {
	problems := make([]apperr.Problem, len(err.Problems))
	for i, p := range err.Problems {
		problems[i] = apperr.Problem{Path: p.Path, Message: p.Message}
	}

	return &apperr.Error{Kind: apperr.Invalid, Field: field, Message: err.Error() + ": fix the IDL and upload it again", Problems: problems}
}

// CreateProject stores a new project with doc as its version 1.
func (s *Service) CreateProject(ctx context.Context, p models.Project, doc *Document) (*models.Project, *models.IDLVersion, error) {
	in := &storage.NewProject{Project: p, Version: s.version(ctx, doc, "")}
	if err := s.store.CreateProject(ctx, in); err != nil {
		return nil, nil, err
	}

	return &in.Project, &in.Version, nil
}

// Publish stores doc as the next version of a project. An IDL identical to
// the latest version's, sent without different Markdown, returns the
// latest version and adds nothing.
func (s *Service) Publish(ctx context.Context, projectID string, doc *Document) (*models.IDLVersion, error) {
	v := s.version(ctx, doc, projectID)
	v.ProjectID = projectID

	keep := func(latest *models.IDLVersion) bool {
		return doc.Markdown == nil || (latest.CpiMd != nil && *latest.CpiMd == *doc.Markdown)
	}
	if _, err := s.store.PublishVersion(ctx, &v, keep); err != nil {
		return nil, err
	}

	return &v, nil
}

func (s *Service) version(ctx context.Context, doc *Document, projectID string) models.IDLVersion {
	markdown := doc.Markdown
	if markdown == nil && s.docs != nil {
		markdown = s.docs(ctx, doc, projectID)
	}

	return models.IDLVersion{
		IDLJSON:   string(doc.JSON),
		CpiMd:     markdown,
		Format:    string(doc.Format),
		SHA256:    doc.SHA256,
		SizeBytes: len(doc.JSON),
	}
}
