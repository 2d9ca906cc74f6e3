package idl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/idl"
)

// The same program in legacy and 0.30 vocabulary must give the same view
// of instruction arguments and account flags.
func TestLegacyAnd030GiveSameView(t *testing.T) {
	legacyIDL := `{"name":"pool","version":"0.1.0","instructions":[{"name":"swap","accounts":[
		{"name":"pool","isMut":true,"isSigner":false},
		{"name":"user","isMut":false,"isSigner":true},
		{"name":"referrer","isMut":false,"isSigner":false,"isOptional":true}],
		"args":[{"name":"owner","type":"publicKey"},{"name":"pool","type":{"defined":"Pool"}},
			{"name":"maybe","type":{"option":"publicKey"}},{"name":"pools","type":{"vec":{"defined":"Pool"}}},
			{"name":"seed","type":{"array":["u8",32]}}]}],
		"types":[{"name":"Pool","type":{"kind":"struct","fields":[{"name":"amount","type":"u64"}]}}]}`
	modernIDL := `{"address":"Pool111111111111111111111111111111111111111","metadata":{"name":"pool","version":"0.1.0","spec":"0.1.0"},
		"instructions":[{"name":"swap","discriminator":[248,198,158,145,225,117,135,200],"accounts":[
		{"name":"pool","writable":true},
		{"name":"user","signer":true},
		{"name":"referrer","optional":true}],
		"args":[{"name":"owner","type":"pubkey"},{"name":"pool","type":{"defined":{"name":"Pool"}}},
			{"name":"maybe","type":{"option":"pubkey"}},{"name":"pools","type":{"vec":{"defined":{"name":"Pool"}}}},
			{"name":"seed","type":{"array":["u8",32]}}]}],
		"types":[{"name":"Pool","type":{"kind":"struct","fields":[{"name":"amount","type":"u64"}]}}]}`

	old := mustParse(t, legacyIDL)
	modern := mustParse(t, modernIDL)

	assert.Equal(t, idl.FormatAnchorLegacy, old.Format, "legacy format")
	assert.Equal(t, idl.FormatAnchor, modern.Format, "0.30 format")

	wantTypes := []string{"pubkey", "Pool", "Option<pubkey>", "Vec<Pool>", "[u8; 32]"}
	assert.Equal(t, wantTypes, argTypes(old.Instructions[0]), "legacy argument types")
	assert.Equal(t, wantTypes, argTypes(modern.Instructions[0]), "0.30 argument types")

	assert.Equal(t, old.Instructions[0].Accounts, modern.Instructions[0].Accounts, "accounts and flags")
	assert.True(t, old.Instructions[0].Accounts[0].Writable, "pool writable")
	assert.True(t, old.Instructions[0].Accounts[1].Signer, "user signer")
	assert.True(t, old.Instructions[0].Accounts[2].Optional, "referrer optional")
	assert.Equal(t, old.Instructions[0].Discriminator, modern.Instructions[0].Discriminator, "discriminator computed for legacy equals the listed one")
	assert.Equal(t, old.Types, modern.Types, "types")
}

func argTypes(ins idl.Instruction) []string {
	types := make([]string, len(ins.Args))
	for i, arg := range ins.Args {
		types[i] = arg.Type
	}

	return types
}

func TestLegacyGenericInName(t *testing.T) {
	prog := mustParse(t, `{"name":"p","version":"0.1.0","instructions":[{"name":"a","accounts":[],
		"args":[{"name":"price","type":{"defined":"SlotTrackedValue<u64>"}}]}],
		"types":[{"name":"SlotTrackedValue","generics":["T"],"type":{"kind":"struct","fields":[
			{"name":"value","type":{"defined":"T"}},{"name":"slot","type":"u64"}]}}]}`)

	assert.Equal(t, "SlotTrackedValue<u64>", prog.Instructions[0].Args[0].Type, "argument rendered as written")
	assert.Equal(t, "T", prog.Types[0].Fields[0].Type, "generic field")
	assert.Empty(t, prog.Warnings, "T is a generic, not an undeclared type")
}

func TestGenericTypeAndConstArguments(t *testing.T) {
	prog := mustParse(t, anchor030(`"instructions":[{"name":"a","discriminator":[1],"accounts":[],
		"args":[{"name":"w","type":{"defined":{"name":"Wrapper","generics":[{"kind":"type","type":{"defined":{"name":"Inner"}}},{"kind":"const","value":"4"}]}}}]}],
		"types":[
		{"name":"Wrapper","generics":[{"kind":"type","name":"T"},{"kind":"const","name":"N","type":"usize"}],
		 "type":{"kind":"struct","fields":[{"name":"items","type":{"array":[{"generic":"T"},{"generic":"N"}]}}]}},
		{"name":"Inner","type":{"kind":"struct","fields":[{"name":"x","type":"u8"}]}}]`))

	assert.Equal(t, "Wrapper<Inner, 4>", prog.Instructions[0].Args[0].Type, "generic arguments")
	assert.Equal(t, "[T; N]", prog.Types[0].Fields[0].Type, "array of generic length")
	assert.Equal(t, []idl.Generic{{Kind: "type", Name: "T"}, {Kind: "const", Name: "N", Type: "usize"}}, prog.Types[0].Generics, "generics")
}

func TestDetectEdgeCases(t *testing.T) {
	minimal := `{"name":"p","instructions":[]}`
	cases := []struct {
		name   string
		input  string
		path   string
		format idl.Format
	}{
		{"empty object", `{}`, "instructions", ""},
		{"array", `[]`, "$", ""},
		{"null", `null`, "$", ""},
		{"JSON string", `"idl"`, "$", ""},
		{"number", `42`, "$", ""},
		{"empty input", ``, "$", ""},
		{"whitespace only", " \n\t", "$", ""},
		{"trailing garbage", minimal + `xyz`, "$", ""},
		{"two objects", minimal + minimal, "$", ""},
		{"truncated", `{"name":"p","instructions":[`, "$", ""},
		{"duplicate root key", `{"name":"p","name":"q","instructions":[]}`, "name", ""},
		{"duplicate nested key", `{"name":"p","instructions":[{"name":"a","name":"b"}]}`, "instructions[0].name", ""},
		{"other kind", `{"kind":"programNode","program":{}}`, "kind", ""},
		{"byte order mark", "\xef\xbb\xbf" + minimal, "", idl.FormatAnchorLegacy},
		{"legacy without metadata", minimal, "", idl.FormatAnchorLegacy},
		{"shank", `{"name":"p","version":"0.1.0","metadata":{"origin":"shank","address":"x"},"instructions":[]}`, "", idl.FormatAnchorLegacy},
		{"0.30 by spec", `{"metadata":{"name":"p","version":"1","spec":"0.1.0"},"instructions":[]}`, "", idl.FormatAnchor},
		{"0.30 by address", `{"address":"x","instructions":[]}`, "", idl.FormatAnchor},
		{"codama", `{"kind":"rootNode","program":{}}`, "", idl.FormatCodama},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			format, err := idl.Detect([]byte(tc.input))
			if tc.format != "" {
				require.NoError(t, err, "Detect(%q)", tc.input)
				assert.Equal(t, tc.format, format, "Detect(%q)", tc.input)
				return
			}

			var invalidErr *idl.InvalidError
			require.ErrorAs(t, err, &invalidErr, "Detect(%q)", tc.input)
			require.Len(t, invalidErr.Problems, 1, "problems")
			assert.Equal(t, tc.path, invalidErr.Problems[0].Path, "problem path for %q", tc.input)
		})
	}
}

func TestLaterSpecIsWarning(t *testing.T) {
	prog := mustParse(t, `{"address":"x","metadata":{"name":"p","version":"1.0.0","spec":"0.2.0"},"instructions":[]}`)

	require.Len(t, prog.Warnings, 1, "warnings")
	assert.Equal(t, "metadata.spec", prog.Warnings[0].Path, "warning path")
}

func TestNestedAccountGroupsFlatten(t *testing.T) {
	group := `{"name":"%s","accounts":[{"name":"vault","isMut":true,"isSigner":false},{"name":"authority","isMut":false,"isSigner":true}]}`
	legacyIDL := `{"name":"p","version":"0.1.0","instructions":[
		{"name":"deposit","accounts":[
			{"name":"liqPool","accounts":[
				{"name":"lpMint","isMut":true,"isSigner":false},
				{"name":"inner","accounts":[{"name":"x","isMut":false,"isSigner":true,"isOptional":true}]}]},
			{"name":"user","isMut":false,"isSigner":true}],"args":[]},
		{"name":"move","accounts":[` + sprintf(group, "sourceMarket") + `,` + sprintf(group, "targetMarket") + `],"args":[]}]}`
	modernIDL := anchor030(`"instructions":[
		{"name":"deposit","discriminator":[1],"accounts":[
			{"name":"liqPool","accounts":[
				{"name":"lpMint","writable":true},
				{"name":"inner","accounts":[{"name":"x","signer":true,"optional":true}]}]},
			{"name":"user","signer":true}],"args":[]},
		{"name":"move","discriminator":[2],"accounts":[
			{"name":"sourceMarket","accounts":[{"name":"vault","writable":true},{"name":"authority","signer":true}]},
			{"name":"targetMarket","accounts":[{"name":"vault","writable":true},{"name":"authority","signer":true}]}],"args":[]}]`)

	for name, data := range map[string]string{"legacy": legacyIDL, "0.30": modernIDL} {
		t.Run(name, func(t *testing.T) {
			prog := mustParse(t, data)

			deposit := prog.Instructions[0].Accounts
			assert.Equal(t, []string{"liqPool.lpMint", "liqPool.inner.x", "user"}, accountPaths(deposit), "deposit paths")
			assert.Equal(t, "lpMint", deposit[0].Name, "name of a nested account")
			assert.True(t, deposit[0].Writable, "liqPool.lpMint writable")
			assert.True(t, deposit[1].Signer, "liqPool.inner.x signer")
			assert.True(t, deposit[1].Optional, "liqPool.inner.x optional")

			move := prog.Instructions[1].Accounts
			assert.Equal(t, []string{"sourceMarket.vault", "sourceMarket.authority", "targetMarket.vault", "targetMarket.authority"}, accountPaths(move), "move paths")
			assert.True(t, move[2].Writable, "targetMarket.vault writable")
			assert.True(t, move[3].Signer, "targetMarket.authority signer")
		})
	}
}

func accountPaths(accounts []idl.InstructionAccount) []string {
	out := make([]string, len(accounts))
	for i, acc := range accounts {
		out[i] = acc.Path
	}

	return out
}

func TestSeedsRenderReadably(t *testing.T) {
	prog := mustParse(t, anchor030(`"instructions":[{"name":"a","discriminator":[1],"accounts":[
		{"name":"vault","pda":{"seeds":[
			{"kind":"const","value":[118,97,117,108,116]},
			{"kind":"const","value":[0,255]},
			{"kind":"arg","path":"params.index"},
			{"kind":"account","path":"pool.mint","account":"Pool"}],
		 "program":{"kind":"const","value":[1,2]}}},
		{"name":"system_program","address":"11111111111111111111111111111111"}],"args":[]}]`))

	pda := prog.Instructions[0].Accounts[0].PDA
	require.NotNil(t, pda, "PDA of vault")
	assert.Equal(t, []idl.Seed{
		{Kind: "const", Value: "vault"},
		{Kind: "const", Value: "[0, 255]"},
		{Kind: "arg", Path: "params.index"},
		{Kind: "account", Path: "pool.mint", Type: "Pool"},
	}, pda.Seeds, "seeds")
	assert.Equal(t, &idl.Seed{Kind: "const", Value: "[1, 2]"}, pda.Program, "PDA program")
	assert.Equal(t, "11111111111111111111111111111111", prog.Instructions[0].Accounts[1].Address, "fixed address")
}
