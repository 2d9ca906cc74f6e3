package idl_test

import (
	"crypto/sha256"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/corpus"
	"github.com/orquestra/orquestra/internal/idl"
)

func TestSnakeCaseMatchesHeck(t *testing.T) {
	cases := map[string]string{
		"initialize":     "initialize",
		"initialize2":    "initialize2",
		"setAuthority":   "set_authority",
		"ABCDef":         "abc_def",
		"SetAuthority":   "set_authority",
		"already_snake":  "already_snake",
		"withdrawV2Fees": "withdraw_v2_fees",
		"HTTPServer":     "http_server",
		"a2B":            "a2_b",
		"kebab-case":     "kebab_case",
		"":               "",
	}

	for input, want := range cases {
		assert.Equal(t, want, idl.SnakeCase(input), "SnakeCase(%q)", input)
	}
}

func TestDiscriminatorKnownValues(t *testing.T) {
	assert.Equal(t, []int{175, 175, 109, 31, 13, 152, 155, 237}, idl.InstructionDiscriminator("initialize"), "global:initialize")
	assert.Equal(t, []int{0, 219, 137, 36, 105, 180, 164, 93}, idl.InstructionDiscriminator("addProduct"), "global:add_product from camelCase")
	assert.Equal(t, []int{222, 245, 237, 64, 59, 49, 29, 246}, idl.AccountDiscriminator("Receipts"), "account:Receipts")
	assert.Equal(t, []int{73, 37, 99, 22, 201, 228, 56, 21}, idl.EventDiscriminator("PurchaseMade"), "event:PurchaseMade")
}

// customDiscriminators lists corpus instructions that implement an SPL
// interface and so use the interface's discriminator, the first 8 bytes of
// SHA-256 of "<interface>:<method>", instead of Anchor's name hash.
var customDiscriminators = map[string]string{
	"anchor-v030-wen-transfer-guard.json/execute":    "spl-transfer-hook-interface:execute",
	"anchor-v030-wen-transfer-guard.json/initialize": "spl-transfer-hook-interface:initialize-extra-account-metas",
}

func interfaceDiscriminator(preimage string) []int {
	sum := sha256.Sum256([]byte(preimage))
	out := make([]int, 8)
	for i := range out {
		out[i] = int(sum[i])
	}

	return out
}

// TestAnchor030DiscriminatorsMatchNames recomputes every discriminator of
// the Anchor 0.30 corpus from its name and compares it with the bytes the
// IDL lists. Accounts with an empty discriminator (the types-only IDL
// describes accounts another program owns) have nothing to compare.
func TestAnchor030DiscriminatorsMatchNames(t *testing.T) {
	files := append([]corpus.File{}, corpus.Embedded()...)
	if shared, ok, err := corpus.Shared(); err == nil && ok {
		files = append(files, shared...)
	}

	compared := 0
	for _, file := range files {
		if corpus.Format(file.Name) != "anchor-v030" {
			continue
		}

		prog, err := idl.Parse(file.Data)
		require.NoError(t, err, "Parse(%s)", file.Name)

		for _, ins := range prog.Instructions {
			want := idl.InstructionDiscriminator(ins.Name)
			if preimage, ok := customDiscriminators[file.Name+"/"+ins.Name]; ok {
				want = interfaceDiscriminator(preimage)
			}
			assert.Equal(t, want, ins.Discriminator, "%s: instruction %s", file.Name, ins.Name)
			compared++
		}
		for _, acc := range prog.Accounts {
			if len(acc.Discriminator) == 0 {
				continue
			}
			assert.Equal(t, idl.AccountDiscriminator(acc.Name), acc.Discriminator, "%s: account %s", file.Name, acc.Name)
			compared++
		}
		for _, ev := range prog.Events {
			assert.Equal(t, idl.EventDiscriminator(ev.Name), ev.Discriminator, "%s: event %s", file.Name, ev.Name)
			compared++
		}
	}

	assert.Greater(t, compared, 100, "number of discriminators compared")
}

func TestLegacyDiscriminatorsComputed(t *testing.T) {
	prog := mustParse(t, `{"name":"p","version":"0.1.0","instructions":[
		{"name":"setAuthority","accounts":[],"args":[]}],
		"accounts":[{"name":"Pool","type":{"kind":"struct","fields":[]}}],
		"events":[{"name":"Swapped","fields":[]}]}`)

	assert.Equal(t, idl.InstructionDiscriminator("set_authority"), prog.Instructions[0].Discriminator, "instruction")
	assert.True(t, prog.Instructions[0].DiscriminatorComputed, "instruction DiscriminatorComputed")
	assert.Equal(t, idl.AccountDiscriminator("Pool"), prog.Accounts[0].Discriminator, "account")
	assert.Equal(t, idl.EventDiscriminator("Swapped"), prog.Events[0].Discriminator, "event")
}

func TestShankDiscriminantIsOneByte(t *testing.T) {
	prog, err := idl.Parse(embedded(t, "anchor-legacy-shank-counter-native.json"))
	require.NoError(t, err, "Parse")

	ins := prog.Instructions[0]
	assert.Len(t, ins.Discriminator, 1, "Shank discriminant length")
	assert.False(t, ins.DiscriminatorComputed, "Shank discriminant is not computed")
}

func TestShankProgramGetsNoAnchorHashes(t *testing.T) {
	prog := mustParse(t, `{"name":"p","version":"0.1.0","metadata":{"origin":"shank"},"instructions":[
		{"name":"Create","accounts":[],"args":[],"discriminant":{"type":"u8","value":0}},
		{"name":"Close","accounts":[],"args":[]}],
		"accounts":[{"name":"Counter","type":{"kind":"struct","fields":[]}}]}`)

	assert.Equal(t, []int{0}, prog.Instructions[0].Discriminator, "Create")
	assert.Empty(t, prog.Instructions[1].Discriminator, "Close has no discriminant")
	assert.Empty(t, prog.Accounts[0].Discriminator, "Shank account")
}

func TestCodamaDiscriminatorUsesTypeWidth(t *testing.T) {
	prog := mustParse(t, `{"kind":"rootNode","version":"1.0.0","program":{"kind":"programNode","name":"system","publicKey":"11111111111111111111111111111111","instructions":[
		{"kind":"instructionNode","name":"transferSol","accounts":[],
		 "arguments":[{"kind":"instructionArgumentNode","name":"discriminator","type":{"kind":"numberTypeNode","format":"u32","endian":"le"},"defaultValue":{"kind":"numberValueNode","number":2}}],
		 "discriminators":[{"kind":"fieldDiscriminatorNode","name":"discriminator","offset":0}]},
		{"kind":"instructionNode","name":"anchorStyle","accounts":[],"arguments":[],
		 "discriminators":[{"kind":"constantDiscriminatorNode","offset":0,"constant":{"kind":"constantValueNode","type":{"kind":"bytesTypeNode"},"value":{"kind":"bytesValueNode","data":"d2e11ea258b84d8d","encoding":"base16"}}}]}]}}`)

	assert.Equal(t, []int{2, 0, 0, 0}, prog.Instructions[0].Discriminator, "u32 field discriminator")
	assert.Equal(t, []int{0xd2, 0xe1, 0x1e, 0xa2, 0x58, 0xb8, 0x4d, 0x8d}, prog.Instructions[1].Discriminator, "constant discriminator")
}
