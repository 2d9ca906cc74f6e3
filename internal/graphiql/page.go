package graphiql

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"html/template"
)

// Endpoint is the same-origin URL path GraphiQL sends GraphQL requests to.
const Endpoint = "/query"

// DefaultQuery is the query GraphiQL shows in its editor on a browser's
// first visit. Later visits restore the user's own tabs from localStorage.
const DefaultQuery = `# Browse the Solana program IDLs hosted here.
{
  projects(first: 5) {
    totalCount
    edges {
      node {
        name
        programId
        latestVersion {
          version
          format
        }
      }
    }
  }
}
`

//go:embed index.html
var pageTemplate string

// page is the rendered index.html with its entity tag.
type page struct {
	body []byte
	etag string
}

// renderPage executes index.html once. Its asset function turns a plain
// file name into the hashed URL, and fails on a name not in assets.
func renderPage(assets assetSet) (page, error) {
	tmpl, err := template.New("index.html").
		Funcs(template.FuncMap{"asset": assets.url}).
		Parse(pageTemplate)
	if err != nil {
		return page{}, fmt.Errorf("parse embedded index.html: %w", err)
	}

	var body bytes.Buffer
	data := struct{ Endpoint, DefaultQuery string }{Endpoint, DefaultQuery}
	if err := tmpl.Execute(&body, data); err != nil {
		return page{}, fmt.Errorf("render embedded index.html: %w", err)
	}

	sum := sha256.Sum256(body.Bytes())
	etag := `"` + hex.EncodeToString(sum[:])[:hashLength] + `"`
	return page{body: body.Bytes(), etag: etag}, nil
}
