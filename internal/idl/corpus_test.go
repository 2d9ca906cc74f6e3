package idl_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/docgen"
	"github.com/orquestra/orquestra/internal/idl"
)

// rawCounts counts sections straight from the JSON, independently of the
// parser: Codama sub-instructions count as instructions.
type rawCounts struct {
	instructions, accounts, types, errors, events int
}

func countRaw(t *testing.T, data []byte) rawCounts {
	t.Helper()

	root := decodeJSON(t, data)
	if root["kind"] == "rootNode" {
		program, _ := root["program"].(map[string]any)
		return rawCounts{
			instructions: countCodamaInstructions(program["instructions"]),
			accounts:     listLen(program, "accounts"),
			types:        listLen(program, "definedTypes"),
			errors:       listLen(program, "errors"),
			events:       listLen(program, "events"),
		}
	}

	return rawCounts{
		instructions: listLen(root, "instructions"),
		accounts:     listLen(root, "accounts"),
		types:        listLen(root, "types"),
		errors:       listLen(root, "errors"),
		events:       listLen(root, "events"),
	}
}

func countCodamaInstructions(value any) int {
	items, _ := value.([]any)
	n := len(items)
	for _, item := range items {
		ins, _ := item.(map[string]any)
		n += countCodamaInstructions(ins["subInstructions"])
	}

	return n
}

func TestCorpusParsesWithoutProblems(t *testing.T) {
	for _, file := range allCorpusFiles(t) {
		t.Run(file.Name, func(t *testing.T) {
			problems := idl.Validate(file.Data)
			require.Empty(t, problems, "Validate(%s) problems", file.Name)

			prog, err := idl.Parse(file.Data)
			require.NoError(t, err, "Parse(%s)", file.Name)

			want := countRaw(t, file.Data)
			assert.Len(t, prog.Instructions, want.instructions, "instructions")
			assert.Len(t, prog.Accounts, want.accounts, "accounts")
			assert.Len(t, prog.Types, want.types, "types")
			assert.Len(t, prog.Errors, want.errors, "errors")
			assert.Len(t, prog.Events, want.events, "events")

			docs := string(docgen.Generate(prog, nil))
			for _, ins := range prog.Instructions {
				assert.Contains(t, docs, "`"+ins.Name+"`", "docs of %s mention instruction %s", file.Name, ins.Name)
			}
		})
	}
}

func TestCorpusFormatMatchesFileName(t *testing.T) {
	want := map[string]idl.Format{
		"anchor-legacy": idl.FormatAnchorLegacy,
		"anchor-v030":   idl.FormatAnchor,
		"codama":        idl.FormatCodama,
	}

	for _, file := range allCorpusFiles(t) {
		name := file.Name[strings.Index(file.Name, "/")+1:]
		format, err := idl.Detect(file.Data)
		require.NoError(t, err, "Detect(%s)", file.Name)

		for prefix, expected := range want {
			if strings.HasPrefix(name, prefix) {
				assert.Equal(t, expected, format, "Detect(%s)", file.Name)
			}
		}
	}
}

func TestCorpusTypesRenderWithoutUnknown(t *testing.T) {
	for _, file := range allCorpusFiles(t) {
		prog, err := idl.Parse(file.Data)
		require.NoError(t, err, "Parse(%s)", file.Name)

		for _, ins := range prog.Instructions {
			for _, arg := range ins.Args {
				assert.NotContains(t, arg.Type, "unknown", "%s: %s.%s type", file.Name, ins.Name, arg.Name)
				assert.NotEmpty(t, arg.TypeJSON, "%s: %s.%s TypeJSON", file.Name, ins.Name, arg.Name)
			}
		}
	}
}
