package idl

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// flattenAccounts appends an instruction's accounts in order. A composite
// group {"name", "accounts": [...]} contributes its members with the group
// name as a dotted prefix, so a group used twice keeps distinct paths.
func (p *anchorParser) flattenAccounts(items []any, path, prefix string, out *[]InstructionAccount) {
	for i, item := range items {
		v, ok := p.c.objectAt(item, indexPath(path, i), "an instruction account")
		if !ok {
			continue
		}

		name := v.str("name", true)
		full := joinPath(prefix, name)
		if v.has("accounts") {
			p.flattenAccounts(v.list("accounts", true), v.at("accounts"), full, out)
			continue
		}

		*out = append(*out, p.instructionAccount(v, name, full))
	}
}

// instructionAccount reads one account. Both flag vocabularies are read in
// both formats (isMut/isSigner/isOptional and writable/signer/optional),
// so a hand-converted IDL that mixes them keeps its flags.
func (p *anchorParser) instructionAccount(v view, name, path string) InstructionAccount {
	acc := InstructionAccount{
		Name:     name,
		Path:     path,
		Writable: v.boolean("isMut") || v.boolean("writable"),
		Signer:   v.boolean("isSigner") || v.boolean("signer") || v.boolean("isOptionalSigner"),
		Optional: v.boolean("isOptional") || v.boolean("optional"),
		Address:  v.str("address", false),
		Docs:     p.docs(v),
	}

	for i, item := range v.list("relations", false) {
		relation, ok := item.(string)
		if !ok {
			p.c.fail(indexPath(v.at("relations"), i), "a relation must be an account name, got %s", describe(item))
			continue
		}
		acc.Relations = append(acc.Relations, relation)
	}

	if pda, ok := v.child("pda", false); ok {
		acc.PDA = p.pda(pda)
	}

	return acc
}

// pda reads seeds and the optional deriving program, spelled "program" in
// 0.30 and "programId" in legacy IDLs.
func (p *anchorParser) pda(v view) *PDA {
	pda := &PDA{Seeds: []Seed{}}
	v.each("seeds", true, "a PDA seed", func(_ int, s view) {
		pda.Seeds = append(pda.Seeds, p.seed(s))
	})

	for _, key := range []string{"program", "programId"} {
		if program, ok := v.child(key, false); ok {
			seed := p.seed(program)
			pda.Program = &seed
		}
	}

	return pda
}

func (p *anchorParser) seed(v view) Seed {
	seed := Seed{Kind: v.str("kind", true)}
	if v.has("type") {
		seed.Type = p.types.render(v.raw("type"), v.at("type"), nil, 0)
	}

	switch seed.Kind {
	case "const":
		seed.Value = p.constSeed(v)
	case "arg", "account":
		seed.Path = v.str("path", true)
		if account := v.str("account", false); account != "" {
			seed.Type = account
		}
	case "":
	default:
		p.c.fail(v.at("kind"), "unknown seed kind %q: expected \"const\", \"arg\" or \"account\"", seed.Kind)
	}

	return seed
}

// constSeed renders a constant seed: 0.30 writes bytes, legacy IDLs a
// string, number or byte list with the seed's type beside it.
func (p *anchorParser) constSeed(v view) string {
	value, ok := v.obj.get("value")
	if !ok || value == nil {
		p.c.fail(v.at("value"), "missing: a const seed needs its value")
		return ""
	}

	switch c := value.(type) {
	case string:
		return c
	case json.Number:
		return string(c)
	case []any:
		data := readBytes(p.c, c, v.at("value"), "a seed")
		return RenderBytes(data)
	}

	p.c.fail(v.at("value"), "a const seed value must be a byte array, string or number, got %s", describe(value))
	return ""
}

// readBytes reads an array of byte values, recording a problem for each
// value outside 0..255.
func readBytes(c *checker, items []any, path, what string) []byte {
	data := make([]byte, 0, len(items))
	for i, item := range items {
		n, ok := toInt(item)
		if !ok || n < 0 || n > 255 {
			c.fail(indexPath(path, i), "%s holds bytes: expected an integer from 0 to 255, got %s", what, describe(item))
			continue
		}
		data = append(data, byte(n))
	}

	return data
}

// RenderBytes shows seed bytes readably: as text when they are printable
// UTF-8, such as "vault", otherwise as a byte list such as [1, 255].
func RenderBytes(data []byte) string {
	if isPrintable(data) {
		return string(data)
	}

	parts := make([]string, len(data))
	for i, b := range data {
		parts[i] = strconv.Itoa(int(b))
	}

	return "[" + strings.Join(parts, ", ") + "]"
}

func isPrintable(data []byte) bool {
	if len(data) == 0 || !utf8.Valid(data) {
		return false
	}

	for _, r := range string(data) {
		if !unicode.IsPrint(r) {
			return false
		}
	}

	return true
}
