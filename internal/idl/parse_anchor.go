package idl

import "math"

// anchorParser reads both Anchor formats. Most sections share their shape;
// the legacy differences (flags, discriminants, inline account and event
// bodies) are switched on legacy.
type anchorParser struct {
	c      *checker
	types  anchorTypes
	legacy bool
	// native is set for legacy IDLs of programs that do not use Anchor's
	// hashed discriminators: Shank output and hand-written IDLs whose
	// instructions carry a one-byte "discriminant".
	native bool
}

func parseAnchor(c *checker, root view, legacy bool) *Program {
	p := &anchorParser{c: c, types: anchorTypes{c: c}, legacy: legacy}
	prog := &Program{Format: FormatAnchor}
	if legacy {
		prog.Format = FormatAnchorLegacy
		p.readLegacyHeader(root, prog)
	} else {
		p.readHeader(root, prog)
	}

	prog.Docs = root.docs("docs")
	prog.Types = p.typeDefs(root)
	prog.Instructions = p.instructions(root)
	prog.Accounts = p.accounts(root, prog.Types)
	prog.Events = p.events(root, prog.Types)
	prog.Errors = readErrors(root, "msg")
	prog.Constants = p.constants(root)

	checkTypeRefs(c, p.types.refs, prog.Types, !legacy)
	checkUniqueNames(c, prog)

	return prog
}

// readHeader reads the Anchor 0.30 program address and metadata.
func (p *anchorParser) readHeader(root view, prog *Program) {
	prog.Address = root.str("address", true)

	meta, ok := root.child("metadata", true)
	if !ok {
		return
	}

	prog.Name = meta.str("name", true)
	prog.Version = meta.str("version", true)
	prog.Spec = meta.str("spec", true)

	// NOTE: 0.1.0 is the only IDL spec Anchor has published (Anchor 0.30
	// and 0.31). A later spec is read with the 0.1.0 rules and flagged.
	if prog.Spec != "" && prog.Spec != "0.1.0" {
		p.c.warn(meta.at("spec"), "spec %q is not 0.1.0, the version this server reads; the IDL was read with the 0.1.0 rules", prog.Spec)
	}
}

func (p *anchorParser) instructions(root view) []Instruction {
	instructions := []Instruction{}
	root.each("instructions", true, "an instruction", func(_ int, v view) {
		instructions = append(instructions, p.instruction(v))
	})

	checkDiscriminatorPrefixes(p.c, root.at("instructions"), instructions)
	return instructions
}

func (p *anchorParser) instruction(v view) Instruction {
	ins := Instruction{Name: v.str("name", true), Docs: p.docs(v), path: v.path}

	v.each("args", true, "an instruction argument", func(_ int, arg view) {
		ins.Args = append(ins.Args, p.field(arg, nil))
	})

	p.flattenAccounts(v.list("accounts", true), v.at("accounts"), "", &ins.Accounts)
	ins.Discriminator, ins.DiscriminatorComputed = p.instructionDiscriminator(v, ins.Name)

	if v.has("returns") {
		ins.Returns = p.types.render(v.raw("returns"), v.at("returns"), nil, 0)
	}

	return ins
}

func (p *anchorParser) instructionDiscriminator(v view, name string) ([]int, bool) {
	if v.has("discriminator") {
		return readDiscriminator(p.c, v.raw("discriminator"), v.at("discriminator"), true), false
	}
	if !p.legacy {
		p.c.fail(v.at("discriminator"), "missing: an Anchor 0.30 instruction lists its discriminator bytes, such as [175, 175, 109, 31, 13, 152, 155, 237]")
		return nil, false
	}

	return p.legacyInstructionDiscriminator(v, name)
}

// docs reads "docs" and, for Shank IDLs, the one-line "desc".
func (p *anchorParser) docs(v view) []string {
	lines := v.docs("docs")
	if desc := v.str("desc", false); desc != "" {
		lines = append(lines, desc)
	}

	return lines
}

// field reads a named field {"name", "type", "docs"}.
func (p *anchorParser) field(v view, scope genericScope) Field {
	f := Field{Name: v.str("name", true), Docs: p.docs(v)}
	if !v.has("type") {
		p.c.fail(v.at("type"), "missing: give the type, such as \"u64\" or {\"defined\": ...}")
		return f
	}

	raw := v.raw("type")
	f.Type = p.types.render(raw, v.at("type"), scope, 0)
	f.TypeJSON = encodeJSON(raw)

	return f
}

// fieldList reads struct or variant fields: named fields, or bare types for
// tuple fields, which are named by their index ("0", "1", ...).
func (p *anchorParser) fieldList(items []any, path string, scope genericScope) []Field {
	fields := make([]Field, 0, len(items))
	for i, item := range items {
		itemPath := indexPath(path, i)
		if obj, ok := item.(object); ok && hasKey(obj, "name") {
			fields = append(fields, p.field(view{c: p.c, path: itemPath, obj: obj}, scope))
			continue
		}

		fields = append(fields, Field{
			Name:     itoa(i),
			Type:     p.types.render(item, itemPath, scope, 0),
			TypeJSON: encodeJSON(item),
		})
	}

	return fields
}

func hasKey(obj object, key string) bool {
	_, ok := obj.get(key)
	return ok
}

// accounts reads the account types. Legacy IDLs hold the struct inline;
// 0.30 IDLs hold only the name and discriminator, and the struct is the
// same-named entry in types.
func (p *anchorParser) accounts(root view, types []TypeDef) []Account {
	accounts := []Account{}
	root.each("accounts", false, "an account", func(_ int, v view) {
		acc := Account{Name: v.str("name", true), Docs: p.docs(v)}
		if p.legacy {
			acc.Fields = p.legacyBody(v, "account")
			acc.Discriminator, acc.DiscriminatorComputed = p.legacyDiscriminator(v, AccountDiscriminator, acc.Name)
		} else {
			acc.Discriminator = readDiscriminator(p.c, v.raw("discriminator"), v.at("discriminator"), false)
			acc.Fields = p.fieldsFromTypes(v, types, acc.Name, "account")
		}
		accounts = append(accounts, acc)
	})

	return accounts
}

func (p *anchorParser) events(root view, types []TypeDef) []Event {
	events := []Event{}
	root.each("events", false, "an event", func(_ int, v view) {
		ev := Event{Name: v.str("name", true), Docs: p.docs(v)}
		if p.legacy {
			ev.Fields = p.fieldList(v.list("fields", false), v.at("fields"), nil)
			ev.Discriminator, ev.DiscriminatorComputed = p.legacyDiscriminator(v, EventDiscriminator, ev.Name)
		} else {
			ev.Discriminator = readDiscriminator(p.c, v.raw("discriminator"), v.at("discriminator"), false)
			ev.Fields = p.fieldsFromTypes(v, types, ev.Name, "event")
		}
		events = append(events, ev)
	})

	return events
}

// fieldsFromTypes finds the struct of a 0.30 account or event in types.
func (p *anchorParser) fieldsFromTypes(v view, types []TypeDef, name, what string) []Field {
	if !v.has("discriminator") {
		p.c.fail(v.at("discriminator"), "missing: an Anchor 0.30 %s lists its discriminator bytes (use [] for none)", what)
	}
	if name == "" {
		return nil
	}

	for _, td := range types {
		if td.Name == name {
			return td.Fields
		}
	}

	p.c.fail(v.at("name"), "%s %q has no definition in types: an Anchor 0.30 IDL keeps the %s's struct there", what, name, what)
	return nil
}

func (p *anchorParser) constants(root view) []Constant {
	constants := []Constant{}
	root.each("constants", false, "a constant", func(_ int, v view) {
		con := Constant{Name: v.str("name", true), Value: v.str("value", true)}
		if !v.has("type") {
			p.c.fail(v.at("type"), "missing: give the constant's type, such as \"u64\"")
		} else {
			con.Type = p.types.render(v.raw("type"), v.at("type"), nil, 0)
		}
		warnExpression(p.c, v.at("value"), con)
		constants = append(constants, con)
	})

	return constants
}

func readErrors(root view, messageKey string) []ErrorCode {
	codes := []ErrorCode{}
	root.each("errors", false, "an error", func(_ int, v view) {
		code, ok := v.integer("code", true)
		if ok && (code < 0 || code > math.MaxUint32) {
			v.c.fail(v.at("code"), "error code %d is outside 0..4294967295: Solana custom errors are u32 values", code)
		}
		codes = append(codes, ErrorCode{
			Code: int(code),
			Name: v.str("name", true),
			Msg:  v.str(messageKey, false),
		})
	})

	return codes
}
