package docgen_test

import (
	"bytes"
	stdhtml "html"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"

	"github.com/orquestra/orquestra/internal/docgen"
	"github.com/orquestra/orquestra/internal/idl"
)

// renderUnfiltered renders Markdown to HTML the way a careless front end
// would: GitHub-flavoured, with goldmark's own filter of dangerous URLs
// turned off, so the test gets exactly the links the docs contain.
func renderUnfiltered(t *testing.T, markdown []byte) string {
	t.Helper()

	md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe()))
	var out bytes.Buffer
	require.NoError(t, md.Convert(markdown, &out), "render the docs")

	return out.String()
}

var (
	linkAttribute = regexp.MustCompile(`(?i)(?:href|src)="([^"]*)"`)
	urlScheme     = regexp.MustCompile(`^[\x00-\x20]*([A-Za-z][A-Za-z0-9+.-]*):`)
)

func TestGenerateDropsUnsafeLinks(t *testing.T) {
	unsafe := []string{
		"[click](javascript:alert(1))",
		"[click](JaVaScRiPt:alert(1))",
		"[click]( javascript:alert(1))",
		`[click](javascript\:alert(1))`,
		"[click](<javascript:alert(1)>)",
		"[click](javascript&#58;alert(1))",
		"![pixel](data:image/svg+xml;base64,PHN2Zz4=)",
		"[click](vbscript:msgbox(1))",
		"[click][ref]\n\n[ref]: javascript:alert(1)",
		"[click][ref]\n\n[ref]:\n  javascript:alert(1)",
		"<javascript:alert(1)>",
		"[click](\rjavascript:alert(1))",
		"[click](\r\njavascript:alert(1))",
		"[click]( \t\n \rjavascript:alert(1))",
		"![i](\rdata:image/svg+xml,<svg/onload=alert(1)>)",
		"[click](java\tscript:alert(1))",
		"[click](\x01javascript:alert(1))",
		"[click][r]\n\n[r]:\rjavascript:alert(1)",
		"[click][r]\n\n[r]:\r\njavascript:alert(1)",
		"[click][r]\n\n[r]:\n\rjavascript:alert(1)",
		"[r]:\rjavascript:alert(1)\n\n[click][r]",
	}

	for _, doc := range unsafe {
		prog := &idl.Program{
			Name:         "p",
			Docs:         []string{doc},
			Errors:       []idl.ErrorCode{{Code: 6000, Name: "Bad", Msg: doc}},
			Instructions: []idl.Instruction{{Name: "go", Docs: []string{doc}}},
		}
		addresses := []docgen.Address{{Label: doc, Address: "11111111111111111111111111111111", Description: doc}}
		rendered := renderUnfiltered(t, docgen.Generate(prog, addresses))

		for _, m := range linkAttribute.FindAllStringSubmatch(rendered, -1) {
			url := stdhtml.UnescapeString(m[1])
			if scheme := urlScheme.FindStringSubmatch(url); scheme != nil {
				assert.Contains(t, []string{"http", "https", "mailto"}, strings.ToLower(scheme[1]), "scheme of %q rendered from %q", url, doc)
			}
		}
	}
}

func TestGenerateKeepsSafeLinks(t *testing.T) {
	prog := &idl.Program{Name: "p", Docs: []string{
		"See [the guide](https://example.com/guide), [mail](mailto:dev@example.com) and [below](#errors).",
	}}
	rendered := renderUnfiltered(t, docgen.Generate(prog, nil))

	assert.Contains(t, rendered, `href="https://example.com/guide"`, "https link")
	assert.Contains(t, rendered, `href="mailto:dev@example.com"`, "mailto link")
	assert.Contains(t, rendered, `href="#errors"`, "fragment link")
}
