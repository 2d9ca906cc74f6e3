package idl_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/idl"
)

// legacy wraps instructions and types into a minimal legacy Anchor IDL.
func legacy(instructions, types string) string {
	return `{"name":"p","version":"0.1.0","instructions":[` + instructions + `],"types":[` + types + `]}`
}

// anchor030 wraps sections into a minimal Anchor 0.30 IDL.
func anchor030(sections string) string {
	return `{"address":"Prog1111111111111111111111111111111111111111","metadata":{"name":"p","version":"0.1.0","spec":"0.1.0"},` + sections + `}`
}

const okInstruction = `{"name":"ok","discriminator":[1],"accounts":[],"args":[]}`

func problemsOf(t *testing.T, data string) []idl.Problem {
	t.Helper()

	_, err := idl.Parse([]byte(data))
	require.Error(t, err, "Parse of an invalid IDL")

	var invalidErr *idl.InvalidError
	require.True(t, errors.As(err, &invalidErr), "Parse error %v is an *InvalidError", err)

	return invalidErr.Problems
}

func paths(problems []idl.Problem) []string {
	out := make([]string, len(problems))
	for i, p := range problems {
		out[i] = p.Path
	}

	return out
}

func TestParseRejectsBrokenIDLs(t *testing.T) {
	cases := []struct {
		name    string
		idl     string
		path    string
		message string
	}{
		{"not an object", `[1, 2]`, "$", "not a JSON object"},
		{"instructions not an array", `{"name":"p","instructions":{}}`, "instructions", "must be an array"},
		{"instruction not an object", legacy(`null`, ``), "instructions[0]", "must be an object"},
		{"instruction name missing", legacy(`{"accounts":[],"args":[]}`, ``), "instructions[0].name", "missing"},
		{"instruction name not a string", legacy(`{"name":7,"accounts":[],"args":[]}`, ``), "instructions[0].name", "must be a string"},
		{"args missing", legacy(`{"name":"a","accounts":[]}`, ``), "instructions[0].args", "missing"},
		{"arg type missing", legacy(`{"name":"a","accounts":[],"args":[{"name":"x"},{"name":"y"}]}`, ``), "instructions[0].args[1].type", "missing"},
		{"unknown primitive", legacy(`{"name":"a","accounts":[],"args":[{"name":"x","type":"u63"}]}`, ``), "instructions[0].args[0].type", `unknown type "u63"`},
		{"unknown type form", legacy(`{"name":"a","accounts":[],"args":[{"name":"x","type":{"list":"u8"}}]}`, ``), "instructions[0].args[0].type", `unknown type form "list"`},
		{"array without length", legacy(`{"name":"a","accounts":[],"args":[{"name":"x","type":{"array":["u8"]}}]}`, ``), "instructions[0].args[0].type.array", "[element type, length]"},
		{"negative array length", legacy(`{"name":"a","accounts":[],"args":[{"name":"x","type":{"array":["u8",-1]}}]}`, ``), "instructions[0].args[0].type.array[1]", "whole number"},
		{"account flag not a boolean", legacy(`{"name":"a","accounts":[{"name":"x","isMut":"yes","isSigner":false}],"args":[]}`, ``), "instructions[0].accounts[0].isMut", "true or false"},
		{"nested account name missing", legacy(`{"name":"a","accounts":[{"name":"g","accounts":[{"isMut":true}]}],"args":[]}`, ``), "instructions[0].accounts[0].accounts[0].name", "missing"},
		{"control character in a name", legacy(`{"name":"in\u0000it\u001b[31m","accounts":[],"args":[]}`, ``), "instructions[0].name", "invisible character U+0000"},
		{"right-to-left override in a field name", legacy(`{"name":"a","accounts":[],"args":[{"name":"amo\u202etnu","type":"u8"}]}`, ``), "instructions[0].args[0].name", "invisible character U+202E"},
		{"duplicate instruction", legacy(`{"name":"a","accounts":[],"args":[]},{"name":"a","accounts":[],"args":[]}`, ``), "instructions[1].name", "duplicate instruction name"},
		{"unknown seed kind", legacy(`{"name":"a","accounts":[{"name":"x","isMut":false,"isSigner":false,"pda":{"seeds":[{"kind":"magic"}]}}],"args":[]}`, ``), "instructions[0].accounts[0].pda.seeds[0].kind", `unknown seed kind "magic"`},
		{"shank discriminant too large", legacy(`{"name":"a","accounts":[],"args":[],"discriminant":{"type":"u8","value":256}}`, ``), "instructions[0].discriminant.value", "does not fit in u8"},
		{"discriminator byte out of range", anchor030(`"instructions":[{"name":"a","discriminator":[1,300],"accounts":[],"args":[]}]`), "instructions[0].discriminator[1]", "0 to 255"},
		{"discriminator empty", anchor030(`"instructions":[{"name":"a","discriminator":[],"accounts":[],"args":[]}]`), "instructions[0].discriminator", "at least one byte"},
		{"discriminator too long", anchor030(`"instructions":[{"name":"a","discriminator":[` + strings.Repeat("1,", 32) + `1],"accounts":[],"args":[]}]`), "instructions[0].discriminator", "too long"},
		{"discriminator missing in 0.30", anchor030(`"instructions":[{"name":"a","accounts":[],"args":[]}]`), "instructions[0].discriminator", "missing"},
		{"discriminators overlap", anchor030(`"instructions":[{"name":"a","discriminator":[1,2],"accounts":[],"args":[]},{"name":"b","discriminator":[1],"accounts":[],"args":[]}]`), "instructions[1].discriminator", "overlaps"},
		{"undeclared type in 0.30", anchor030(`"instructions":[{"name":"a","discriminator":[1],"accounts":[],"args":[{"name":"x","type":{"defined":{"name":"Missing"}}}]}]`), "instructions[0].args[0].type.defined.name", `type "Missing" is not declared`},
		{"generic count mismatch", anchor030(`"instructions":[` + okInstruction + `],"types":[{"name":"W","generics":[{"kind":"type","name":"T"}],"type":{"kind":"struct","fields":[{"name":"v","type":{"generic":"T"}}]}},{"name":"U","type":{"kind":"struct","fields":[{"name":"w","type":{"defined":{"name":"W","generics":[{"kind":"type","type":"u8"},{"kind":"const","value":"4"}]}}}]}}]`), "types[1].type.fields[0].type.defined.name", "takes 1 generic arguments, got 2"},
		{"undeclared generic", anchor030(`"instructions":[` + okInstruction + `],"types":[{"name":"W","type":{"kind":"struct","fields":[{"name":"v","type":{"generic":"T"}}]}}]`), "types[0].type.fields[0].type.generic", `generic "T" is not declared`},
		{"unknown type kind", anchor030(`"instructions":[` + okInstruction + `],"types":[{"name":"W","type":{"kind":"union"}}]`), "types[0].type.kind", `unknown type kind "union"`},
		{"account without type", anchor030(`"instructions":[` + okInstruction + `],"accounts":[{"name":"Pool","discriminator":[1]}]`), "accounts[0].name", "has no definition in types"},
		{"duplicate account", anchor030(`"instructions":[` + okInstruction + `],"accounts":[{"name":"Pool","discriminator":[1]},{"name":"Pool","discriminator":[2]}],"types":[{"name":"Pool","type":{"kind":"struct","fields":[]}}]`), "accounts[1].name", "duplicate account name"},
		{"duplicate event", anchor030(`"instructions":[` + okInstruction + `],"events":[{"name":"E","discriminator":[1]},{"name":"E","discriminator":[2]}],"types":[{"name":"E","type":{"kind":"struct","fields":[]}}]`), "events[1].name", "duplicate event name"},
		{"error code not an integer", legacy(``, ``)[:len(legacy(``, ``))-1] + `,"errors":[{"code":"6000","name":"E"}]}`, "errors[0].code", "must be an integer"},
		{"metadata missing in 0.30", `{"address":"x","instructions":[]}`, "metadata", "missing"},
		{"codama program not a node", `{"kind":"rootNode","program":[]}`, "program", "must be an object"},
		{"codama duplicate sub-instruction", `{"kind":"rootNode","program":{"kind":"programNode","name":"p","instructions":[{"kind":"instructionNode","name":"a","accounts":[],"arguments":[],"subInstructions":[{"kind":"instructionNode","name":"a","accounts":[],"arguments":[]}]}]}}`, "program.instructions[0].subInstructions[0].name", "duplicate instruction name"},
		{"codama unknown type node", `{"kind":"rootNode","program":{"kind":"programNode","name":"p","instructions":[{"kind":"instructionNode","name":"a","accounts":[],"arguments":[{"kind":"instructionArgumentNode","name":"x","type":{"kind":"floatTypeNode"}}]}]}}`, "program.instructions[0].arguments[0].type.kind", `unknown type node "floatTypeNode"`},
		{"codama undeclared type link", `{"kind":"rootNode","program":{"kind":"programNode","name":"p","instructions":[{"kind":"instructionNode","name":"a","accounts":[],"arguments":[{"kind":"instructionArgumentNode","name":"x","type":{"kind":"definedTypeLinkNode","name":"gone"}}]}]}}`, "program.instructions[0].arguments[0].type.name", `type "gone" is not declared`},
		{"codama arguments missing", `{"kind":"rootNode","program":{"kind":"programNode","name":"p","instructions":[{"kind":"instructionNode","name":"a","accounts":[]}]}}`, "program.instructions[0].arguments", "missing"},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			problems := problemsOf(t, tc.idl)

			var found *idl.Problem
			for i := range problems {
				if problems[i].Path == tc.path {
					found = &problems[i]
					break
				}
			}
			require.NotNil(t, found, "problem at %s among %v", tc.path, problems)
			assert.Contains(t, found.Message, tc.message, "message of the problem at %s", tc.path)
		})
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	broken := legacy(
		`{"name":"a","accounts":[{"name":"x","isMut":1}],"args":[{"name":"n"}]},`+
			`{"accounts":[],"args":[{"name":"m","type":"float"}]}`,
		`{"name":"T","type":{"kind":"struct","fields":[{"name":"f","type":{"vec":"u65"}}]}}`)

	got := paths(problemsOf(t, broken))

	assert.Contains(t, got, "instructions[0].accounts[0].isMut", "flag problem")
	assert.Contains(t, got, "instructions[0].args[0].type", "missing arg type")
	assert.Contains(t, got, "instructions[1].name", "missing instruction name")
	assert.Contains(t, got, "instructions[1].args[0].type", "unknown primitive")
	assert.Contains(t, got, "types[0].type.fields[0].type.vec", "unknown primitive inside vec")
	assert.Len(t, got, 5, "problems: %v", got)
}

func TestValidateMatchesParse(t *testing.T) {
	broken := legacy(`{"name":"a","accounts":[],"args":[{"name":"n"}]}`, ``)

	problems := idl.Validate([]byte(broken))
	assert.Equal(t, []string{"instructions[0].args[0].type"}, paths(problems), "Validate problems")

	assert.Empty(t, idl.Validate(embedded(t, "anchor-v030-lever.json")), "Validate of a valid IDL")
}

func TestParseBoundsTypeDepth(t *testing.T) {
	deepType := strings.Repeat(`{"vec":`, 100) + `"u8"` + strings.Repeat(`}`, 100)
	problems := problemsOf(t, legacy(`{"name":"a","accounts":[],"args":[{"name":"x","type":`+deepType+`}]}`, ``))

	require.NotEmpty(t, problems, "problems for a 100-level type")
	assert.Contains(t, problems[0].Message, "nests deeper than", "depth problem message")
}

func TestParseBoundsJSONDepth(t *testing.T) {
	deep := strings.Repeat(`[`, 100000) + strings.Repeat(`]`, 100000)
	problems := problemsOf(t, `{"name":"p","instructions":`+deep+`}`)

	require.Len(t, problems, 1, "problems for 100000 nested arrays")
	assert.Contains(t, problems[0].Message, "nests deeper than 128 levels", "depth problem message")
}

func TestLegacyUndeclaredTypeIsWarning(t *testing.T) {
	prog := mustParse(t, legacy(`{"name":"a","accounts":[],"args":[{"name":"x","type":{"defined":"COption<Pubkey>"}}]}`, ``))

	assert.Equal(t, "COption<Pubkey>", prog.Instructions[0].Args[0].Type, "rendered as written")
	require.Len(t, prog.Warnings, 1, "warnings")
	assert.Equal(t, "instructions[0].args[0].type.defined", prog.Warnings[0].Path, "warning path")
}

func TestDuplicateTypeIsWarning(t *testing.T) {
	prog := mustParse(t, legacy(okInstruction, `{"name":"T","type":{"kind":"struct","fields":[]}},{"name":"T","type":{"kind":"struct","fields":[]}}`))

	require.Len(t, prog.Warnings, 1, "warnings")
	assert.Equal(t, "types[1].name", prog.Warnings[0].Path, "warning path")
}

func TestRustExpressionConstantIsWarning(t *testing.T) {
	prog := mustParse(t, anchor030(`"instructions":[`+okInstruction+`],"constants":[{"name":"A","type":"u64","value":"(1 << 20) as u64"},{"name":"B","type":"i128","value":"1_000_000"}]`))

	assert.Equal(t, "(1 << 20) as u64", prog.Constants[0].Value, "value kept as written")
	require.Len(t, prog.Warnings, 1, "warnings")
	assert.Equal(t, "constants[0].value", prog.Warnings[0].Path, "warning path")
}

func TestDuplicateMemberNamesAreWarnings(t *testing.T) {
	prog := mustParse(t, legacy(
		`{"name":"a","accounts":[],"args":[{"name":"x","type":"u8"},{"name":"x","type":"u16"}]}`,
		`{"name":"T","type":{"kind":"struct","fields":[{"name":"f","type":"u8"},{"name":"f","type":"u16"}]}}`,
	))

	var paths []string
	for _, w := range prog.Warnings {
		paths = append(paths, w.Path)
	}
	assert.ElementsMatch(t, []string{"instructions[0].args[1].name", "types[0].type.fields[1].name"}, paths, "a warning at each duplicate")
}
