package idl

import "strings"

// codamaParser reads a Codama root node. Codama is strict: every linked
// type and PDA must be declared in the program node.
type codamaParser struct {
	c       *checker
	refs    []typeRef
	address string
	// pdas and definedTypes index the program's nodes by name, for PDA
	// links and for encoding enum discriminator values.
	pdas         map[string]view
	definedTypes map[string]view
}

func parseCodama(c *checker, root view) *Program {
	p := &codamaParser{c: c, pdas: map[string]view{}, definedTypes: map[string]view{}}
	prog := &Program{Format: FormatCodama, Spec: root.str("version", false)}

	program, ok := p.node(root.raw("program"), root.at("program"), "programNode")
	if !ok {
		return prog
	}

	prog.Name = program.str("name", true)
	prog.Version = program.str("version", false)
	prog.Address = program.str("publicKey", false)
	prog.Docs = program.docs("docs")
	p.address = prog.Address

	p.index(program)
	p.indexAdditionalPDAs(root)
	prog.Types = p.types(program)
	prog.Instructions = p.instructions(program)
	prog.Accounts = p.accounts(program)
	prog.Events = p.events(program)
	prog.Errors = readErrors(program, "message")
	prog.PDAs = p.programPDAs(program)

	p.noteAdditionalPrograms(root)
	checkTypeRefs(c, p.refs, prog.Types, true)
	checkUniqueNames(c, prog)

	return prog
}

// node reads a Codama node, recording a problem when it is not an object
// or its kind differs from the expected one.
func (p *codamaParser) node(value any, path, kind string) (view, bool) {
	v, ok := p.c.objectAt(value, path, article(kind)+" "+kind)
	if !ok {
		return view{}, false
	}

	got := v.str("kind", true)
	if got != kind && got != "" {
		p.c.fail(v.at("kind"), "expected %s %s here, got %q", article(kind), kind, got)
		return view{}, false
	}

	return v, got == kind
}

// eachNode calls fn with every node of the given kind in an array field.
func (p *codamaParser) eachNode(v view, key, kind string, required bool, fn func(view)) {
	for i, item := range v.list(key, required) {
		if n, ok := p.node(item, indexPath(v.at(key), i), kind); ok {
			fn(n)
		}
	}
}

func (p *codamaParser) index(program view) {
	p.eachNode(program, "pdas", "pdaNode", false, func(pda view) {
		p.pdas[pda.str("name", true)] = pda
	})

	for _, item := range program.list("definedTypes", false) {
		if obj, ok := item.(object); ok {
			if name, ok := obj.get("name"); ok {
				if s, ok := name.(string); ok {
					p.definedTypes[s] = view{c: p.c, obj: obj}
				}
			}
		}
	}
}

// indexAdditionalPDAs adds the PDAs of additional programs that the
// primary program does not declare itself, since instructions link them
// (token-2022 derives associated token accounts).
func (p *codamaParser) indexAdditionalPDAs(root view) {
	scratch := &codamaParser{c: &checker{}, pdas: map[string]view{}, definedTypes: map[string]view{}}
	for _, item := range root.list("additionalPrograms", false) {
		if obj, ok := item.(object); ok {
			scratch.index(view{c: scratch.c, obj: obj})
		}
	}

	for name, pda := range scratch.pdas {
		if _, ok := p.pdas[name]; !ok {
			pda.c = p.c
			p.pdas[name] = pda
		}
	}
}

// noteAdditionalPrograms warns that only the primary program is parsed.
//
// NOTE: the view holds one program. Programs under additionalPrograms
// (token-2022 ships the associated token program there) are not parsed;
// their IDL can be uploaded on its own.
func (p *codamaParser) noteAdditionalPrograms(root view) {
	for i, item := range root.list("additionalPrograms", false) {
		path := indexPath(root.at("additionalPrograms"), i)
		program, ok := p.node(item, path, "programNode")
		if !ok {
			continue
		}
		p.c.warn(path, "additional program %q is not part of this view: only the primary program is parsed", program.str("name", false))
	}
}

func (p *codamaParser) types(program view) []TypeDef {
	defs := []TypeDef{}
	p.eachNode(program, "definedTypes", "definedTypeNode", false, func(v view) {
		defs = append(defs, p.typeDef(v))
	})

	return defs
}

func (p *codamaParser) typeDef(v view) TypeDef {
	td := TypeDef{Name: v.str("name", true), Docs: v.docs("docs")}

	body, ok := p.c.objectAt(v.raw("type"), v.at("type"), "a type node")
	if !ok {
		return td
	}

	switch body.str("kind", false) {
	case "structTypeNode":
		td.Kind = KindStruct
		td.Fields = p.structFields(body)
	case "enumTypeNode":
		td.Kind = KindEnum
		td.Variants = p.variants(body)
	default:
		td.Kind = KindAlias
		td.Alias = p.render(v.raw("type"), v.at("type"), 0)
	}

	return td
}

// structNode finds a structTypeNode, looking through wrapper nodes such as
// sizePrefixTypeNode that only change how the struct is encoded.
func (p *codamaParser) structNode(value any, path string) (view, bool) {
	for depth := 0; depth <= maxTypeDepth; depth++ {
		v, ok := p.c.objectAt(value, path, "a structTypeNode")
		if !ok {
			return view{}, false
		}

		kind := v.str("kind", true)
		key, wrapper := codamaWrappers[kind]
		if !wrapper {
			return p.node(value, path, "structTypeNode")
		}
		value, path = v.raw(key), v.at(key)
	}

	p.c.fail(path, "the type nests deeper than %d levels: simplify it", maxTypeDepth)
	return view{}, false
}

func (p *codamaParser) structFields(body view) []Field {
	fields := []Field{}
	p.eachNode(body, "fields", "structFieldTypeNode", true, func(f view) {
		fields = append(fields, p.field(f))
	})

	return fields
}

// field reads a struct field or instruction argument: {name, type, docs}.
func (p *codamaParser) field(v view) Field {
	f := Field{Name: v.str("name", true), Docs: v.docs("docs")}
	if !v.has("type") {
		p.c.fail(v.at("type"), "missing: give the type node, such as {\"kind\": \"numberTypeNode\", \"format\": \"u64\"}")
		return f
	}

	f.Type = p.render(v.raw("type"), v.at("type"), 0)
	f.TypeJSON = encodeJSON(v.raw("type"))

	return f
}

func (p *codamaParser) variants(body view) []Variant {
	variants := []Variant{}
	for i, item := range body.list("variants", true) {
		path := indexPath(body.at("variants"), i)
		v, ok := p.c.objectAt(item, path, "an enum variant node")
		if !ok {
			continue
		}
		variants = append(variants, p.variant(v))
	}

	return variants
}

func (p *codamaParser) variant(v view) Variant {
	variant := Variant{Name: v.str("name", true)}

	switch kind := v.str("kind", true); kind {
	case "enumEmptyVariantTypeNode":
	case "enumTupleVariantTypeNode":
		if tuple, ok := p.node(v.raw("tuple"), v.at("tuple"), "tupleTypeNode"); ok {
			for i, item := range tuple.list("items", true) {
				itemPath := indexPath(tuple.at("items"), i)
				variant.Fields = append(variant.Fields, Field{Name: itoa(i), Type: p.render(item, itemPath, 0), TypeJSON: encodeJSON(item)})
			}
		}
	case "enumStructVariantTypeNode":
		if body, ok := p.structNode(v.raw("struct"), v.at("struct")); ok {
			variant.Fields = p.structFields(body)
		}
	case "":
	default:
		p.c.fail(v.at("kind"), "unknown enum variant kind %q: expected enumEmptyVariantTypeNode, enumTupleVariantTypeNode or enumStructVariantTypeNode", kind)
	}

	return variant
}

func (p *codamaParser) accounts(program view) []Account {
	accounts := []Account{}
	p.eachNode(program, "accounts", "accountNode", false, func(v view) {
		acc := Account{Name: v.str("name", true), Docs: v.docs("docs")}
		data, ok := p.structNode(v.raw("data"), v.at("data"))
		if ok {
			acc.Fields = p.structFields(data)
		}
		acc.Discriminator = p.discriminator(v, p.fieldsByName(data))
		accounts = append(accounts, acc)
	})

	return accounts
}

// events reads eventNode entries, which newer Codama trees may carry.
func (p *codamaParser) events(program view) []Event {
	events := []Event{}
	p.eachNode(program, "events", "eventNode", false, func(v view) {
		ev := Event{Name: v.str("name", true), Docs: v.docs("docs")}
		data, ok := p.structNode(v.raw("data"), v.at("data"))
		if ok {
			ev.Fields = p.structFields(data)
		}
		ev.Discriminator = p.discriminator(v, p.fieldsByName(data))
		events = append(events, ev)
	})

	return events
}

// article returns the indefinite article for a node kind: "an" before a
// vowel, as in an instructionNode, and "a" otherwise.
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiouAEIOU", rune(word[0])) {
		return "an"
	}
	return "a"
}
