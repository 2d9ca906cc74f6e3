package docgen_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/corpus"
	"github.com/orquestra/orquestra/internal/docgen"
	"github.com/orquestra/orquestra/internal/idl"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenFiles covers each format with embedded IDLs, so the golden tests
// run without the shared corpus.
var goldenFiles = []string{
	"anchor-legacy-anchor-idl-test.json",
	"anchor-legacy-shank-counter-native.json",
	"anchor-v030-anchor-generics.json",
	"anchor-v030-anchor-relations.json",
	"codama-spl-memo.json",
	"codama-world-cup.json",
}

var sampleAddresses = []docgen.Address{
	{Label: "Main pool", Address: "Pool111111111111111111111111111111111111111", Description: "SOL | USDC pool\non mainnet"},
	{Label: "Config", Address: "Conf111111111111111111111111111111111111111"},
}

func parseEmbedded(t *testing.T, name string) *idl.Program {
	t.Helper()

	data, err := corpus.EmbeddedFile(name)
	require.NoError(t, err, "corpus.EmbeddedFile(%q)", name)

	prog, err := idl.Parse(data)
	require.NoError(t, err, "Parse(%s)", name)

	return prog
}

func TestGenerateGolden(t *testing.T) {
	for _, name := range goldenFiles {
		t.Run(name, func(t *testing.T) {
			got := docgen.Generate(parseEmbedded(t, name), sampleAddresses)
			path := filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".json")+".md")

			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755), "create golden folder")
				require.NoError(t, os.WriteFile(path, got, 0o644), "write %s", path)
				return
			}

			want, err := os.ReadFile(path)
			require.NoError(t, err, "read %s (run go test -update to create it)", path)
			assert.Equal(t, string(want), string(got), "output differs from %s (review, then run go test -update)", path)
		})
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	for _, file := range corpus.Embedded() {
		prog, err := idl.Parse(file.Data)
		require.NoError(t, err, "Parse(%s)", file.Name)

		first := docgen.Generate(prog, sampleAddresses)
		second := docgen.Generate(prog, sampleAddresses)
		assert.Equal(t, first, second, "two runs over %s", file.Name)
	}
}

func TestGenerateEscapesUserText(t *testing.T) {
	prog := &idl.Program{
		Name:   "p",
		Errors: []idl.ErrorCode{{Code: 6000, Name: "Bad", Msg: "a | b\nc <script>"}},
		Instructions: []idl.Instruction{{
			Name:     "go",
			Accounts: []idl.InstructionAccount{{Name: "x", Path: "x", Docs: []string{"first | line", "second"}}},
		}},
	}

	docs := string(docgen.Generate(prog, nil))

	assert.Contains(t, docs, "| 6000 | `Bad` | a \\| b<br>c &lt;script&gt; |\n", "error row")
	assert.Contains(t, docs, "first \\| line<br>second", "account docs cell")
	assert.NotContains(t, docs, "<script>", "raw HTML from user text")
}

func TestGenerateAnchorsAreUnique(t *testing.T) {
	prog := &idl.Program{
		Name:         "p",
		Instructions: []idl.Instruction{{Name: "init"}, {Name: "init"}, {Name: "Init!"}},
		Accounts:     []idl.Account{{Name: "init"}},
	}

	docs := string(docgen.Generate(prog, nil))

	for _, id := range []string{"instruction-init", "instruction-init-2", "instruction-init-3", "account-init"} {
		assert.Equal(t, 1, strings.Count(docs, `<a id="`+id+`"></a>`), "anchor %s", id)
		assert.Contains(t, docs, "(#"+id+")", "contents link to %s", id)
	}
}

func TestGenerateListsSections(t *testing.T) {
	docs := string(docgen.Generate(parseEmbedded(t, "anchor-legacy-anchor-idl-test.json"), nil))

	for _, want := range []string{
		"## Instructions", "## Accounts", "## Types", "## Errors", "## Events", "## Constants",
		"No known addresses are recorded for this project.",
		"(computed from the name, as Anchor does)",
		"| Path | Writable | Signer | Optional | Address | PDA seeds | Docs |",
	} {
		assert.Contains(t, docs, want, "docs section")
	}
}

func TestGenerateShowsNestedAccountsAndGenerics(t *testing.T) {
	docs := string(docgen.Generate(parseEmbedded(t, "anchor-v030-anchor-generics.json"), nil))
	assert.Contains(t, docs, "`[u8; N]`", "generic-length array")
	assert.Contains(t, docs, "`0: [T; N]`", "generic-length array in a variant")
	assert.Contains(t, docs, "`GenericNested<u32, U>`", "generic arguments")

	relations := string(docgen.Generate(parseEmbedded(t, "anchor-v030-anchor-relations.json"), nil))
	assert.Contains(t, relations, "`const:seed`", "const seed")
}

func TestGenerateListsKnownAddresses(t *testing.T) {
	docs := string(docgen.Generate(&idl.Program{Name: "p"}, sampleAddresses))

	assert.Contains(t, docs, "| Main pool | `Pool111111111111111111111111111111111111111` | SOL \\| USDC pool<br>on mainnet |", "first address")
	assert.Contains(t, docs, "| Config | `Conf111111111111111111111111111111111111111` | — |", "address without description")
}
