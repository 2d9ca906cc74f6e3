// Package upload turns an uploaded IDL and its optional Markdown into a
// stored version: it reads them within their size limits, validates and
// parses the IDL, hashes it, documents it and hands the rows to storage.
package upload

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/internal/docgen"
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
	Markdown      Source
	IDLField      string
	MarkdownField string
}

// Document is a validated IDL ready to store.
type Document struct {
	// JSON is the IDL exactly as uploaded.
	JSON     []byte
	SHA256   string
	Program  *idl.Program
	Markdown *string
}

// Service validates and stores uploaded IDL versions.
type Service struct {
	store     *storage.Store
	programs  *idl.Cache
	docs      *docgen.Cache
	onPublish func(ctx context.Context, v *models.IDLVersion)
}

// NewService returns an upload service that parses through programs and
// documents through docs.
func NewService(store *storage.Store, programs *idl.Cache, docs *docgen.Cache) *Service {
	return &Service{store: store, programs: programs, docs: docs}
}

// Read reads, validates and parses an upload's documents.
func (s *Service) Read(in Documents) (*Document, error) {
	raw, err := readIDL(in)
	if err != nil {
		return nil, err
	}

	sum := sha256.Sum256(raw)
	hash := hex.EncodeToString(sum[:])

	program, err := s.programs.Parse(hash, raw)
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

	return &Document{JSON: raw, SHA256: hash, Program: program, Markdown: markdown}, nil
}

func readIDL(in Documents) ([]byte, error) {
	if in.IDL.empty() {
		return nil, apperr.Field(in.IDLField, "no IDL given: send it as the file input.idl or as the JSON string input.idlJson")
	}
	if in.IDL.File != nil && in.IDL.String != nil {
		return nil, apperr.Field(in.IDLField, "both a file and a JSON string were given: send the IDL once")
	}

	raw, err := readLimited(in.IDL, MaxIDLBytes, in.IDLField, "IDL")
	if err != nil {
		return nil, err
	}

	// The stored bytes are the uploaded bytes, so a byte order mark would be
	// served back to every client; editors can save without one.
	if bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
		return nil, apperr.Field(in.IDLField, "the IDL starts with a UTF-8 byte order mark: save it as UTF-8 without a BOM")
	}
	if !utf8.Valid(raw) {
		return nil, apperr.Field(in.IDLField, "the IDL is not valid UTF-8: save it as UTF-8 JSON")
	}

	return raw, nil
}

// ReadMarkdown reads and checks an upload's Markdown; it returns nil when
// none was sent.
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
	if bytes.IndexByte(raw, 0) >= 0 {
		return nil, apperr.Field(in.MarkdownField, "the Markdown contains a NUL character (U+0000), which text cannot hold: remove it")
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil
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

// CheckAddress rejects an IDL that declares a program address other than
// the project's program id. Only a new project can still take the declared
// address as its program id, so only its message suggests that.
func CheckAddress(doc *Document, field, programID string, newProject bool) error {
	declared := doc.Program.Address
	if declared == "" || declared == programID {
		return nil
	}

	if newProject {
		return apperr.Field(field, "the IDL declares program address %s but the program id is %s: upload the IDL of program %s, or use %s as the program id", declared, programID, programID, declared)
	}
	return apperr.Field(field, "the IDL declares program address %s but this project's program id is %s: publish the IDL of program %s here, or upload this IDL as a new project", declared, programID, programID)
}

// CreateProject stores a new project with doc as its version 1.
func (s *Service) CreateProject(ctx context.Context, p models.Project, doc *Document) (*models.Project, *models.IDLVersion, error) {
	in := &storage.NewProject{Project: p, Version: s.version(doc, nil)}
	if err := s.store.CreateProject(ctx, in); err != nil {
		return nil, nil, err
	}

	return &in.Project, &in.Version, nil
}

// Publish stores doc as the next version of a project. An IDL identical to
// the latest version's, sent without different Markdown, returns the
// latest version and adds nothing.
func (s *Service) Publish(ctx context.Context, projectID string, doc *Document) (*models.IDLVersion, error) {
	// Generated docs list the project's known addresses; uploaded docs do not
	// need them.
	var addresses map[string][]models.KnownAddress
	if doc.Markdown == nil {
		var err error
		if addresses, err = s.store.KnownAddressesOfProjects(ctx, []string{projectID}); err != nil {
			return nil, err
		}
	}

	v := s.version(doc, addresses[projectID])
	v.ProjectID = projectID

	keep := func(latest *models.IDLVersion) bool {
		return doc.Markdown == nil || (latest.CpiMd != nil && *latest.CpiMd == *doc.Markdown)
	}
	created, err := s.store.PublishVersion(ctx, &v, keep)
	if err != nil {
		return nil, err
	}
	if created && s.onPublish != nil {
		s.onPublish(ctx, &v)
	}

	return &v, nil
}

// OnPublish sets a function that is called after each new version is
// stored, such as a notification of subscribers. It is not called for a
// re-upload that returns the latest version.
func (s *Service) OnPublish(fn func(ctx context.Context, v *models.IDLVersion)) {
	s.onPublish = fn
}

// version builds the row of a version, with docs generated from the IDL
// when the uploader sent no Markdown.
func (s *Service) version(doc *Document, addresses []models.KnownAddress) models.IDLVersion {
	v := models.IDLVersion{
		IDLJSON:   string(doc.JSON),
		CpiMd:     doc.Markdown,
		Format:    string(doc.Program.Format),
		SHA256:    doc.SHA256,
		SizeBytes: len(doc.JSON),
	}

	if v.CpiMd == nil {
		// Names in an IDL may hold escaped NUL characters, which text
		// columns cannot store.
		text := strings.ReplaceAll(string(s.docs.Generate(doc.SHA256, doc.Program, DocAddresses(addresses))), "\x00", "\uFFFD")
		v.CpiMd, v.DocsGenerated = &text, true
	}

	return v
}

// DocAddresses converts known addresses for the docs generator.
func DocAddresses(rows []models.KnownAddress) []docgen.Address {
	addresses := make([]docgen.Address, len(rows))
	for i, row := range rows {
		description := ""
		if row.Description != nil {
			description = *row.Description
		}
		addresses[i] = docgen.Address{Label: row.Label, Address: row.Address, Description: description}
	}

	return addresses
}
