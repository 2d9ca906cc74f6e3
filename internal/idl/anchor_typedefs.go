package idl

import "strings"

func (p *anchorParser) typeDefs(root view) []TypeDef {
	defs := []TypeDef{}
	root.each("types", false, "a type definition", func(_ int, v view) {
		defs = append(defs, p.typeDef(v))
	})

	return defs
}

func (p *anchorParser) typeDef(v view) TypeDef {
	td := TypeDef{Name: v.str("name", true), Docs: p.docs(v)}
	td.Serialization = v.str("serialization", false)
	td.Repr = p.repr(v)

	var scope genericScope
	td.Generics, scope = p.generics(v)

	body, ok := v.child("type", true)
	if !ok {
		return td
	}

	kind := body.str("kind", true)
	switch kind {
	case "struct":
		td.Kind = KindStruct
		td.Fields = p.fieldList(body.list("fields", false), body.at("fields"), scope)
	case "enum":
		td.Kind = KindEnum
		td.Variants = p.readVariants(body, scope)
	case "type", "alias":
		td.Kind = KindAlias
		td.Alias = p.aliasTarget(body, kind, scope)
	case "":
	default:
		p.c.fail(body.at("kind"), "unknown type kind %q: expected \"struct\", \"enum\" or \"type\" (an alias)", kind)
	}

	return td
}

// aliasTarget reads the aliased type: 0.30 writes {"kind": "type",
// "alias": T}, legacy IDLs {"kind": "alias", "value": T}.
func (p *anchorParser) aliasTarget(body view, kind string, scope genericScope) string {
	key := "alias"
	if kind == "alias" {
		key = "value"
	}

	if !body.has(key) {
		p.c.fail(body.at(key), "missing: an alias names its target type here")
		return ""
	}

	return p.types.render(body.raw(key), body.at(key), scope, 0)
}

func (p *anchorParser) readVariants(body view, scope genericScope) []Variant {
	variants := []Variant{}
	body.each("variants", true, "an enum variant", func(_ int, v view) {
		variants = append(variants, Variant{
			Name:   v.str("name", true),
			Fields: p.fieldList(v.list("fields", false), v.at("fields"), scope),
		})
	})

	return variants
}

// generics reads a type's parameters: legacy IDLs list names, 0.30 IDLs
// objects {"kind": "type"|"const", "name", "type"}.
func (p *anchorParser) generics(v view) ([]Generic, genericScope) {
	items := v.list("generics", false)
	if len(items) == 0 {
		return nil, nil
	}

	generics := make([]Generic, 0, len(items))
	scope := genericScope{}
	for i, item := range items {
		g, ok := p.generic(item, indexPath(v.at("generics"), i))
		if !ok {
			continue
		}
		generics = append(generics, g)
		scope[g.Name] = true
	}

	return generics, scope
}

func (p *anchorParser) generic(item any, path string) (Generic, bool) {
	if name, ok := item.(string); ok {
		return Generic{Kind: "type", Name: name}, name != ""
	}

	g, ok := p.c.objectAt(item, path, "a generic parameter")
	if !ok {
		return Generic{}, false
	}

	gen := Generic{Kind: g.str("kind", true), Name: g.str("name", true)}
	switch gen.Kind {
	case "type":
	case "const":
		gen.Type = g.str("type", true)
	case "":
		return gen, false
	default:
		p.c.fail(g.at("kind"), "unknown generic kind %q: expected \"type\" or \"const\"", gen.Kind)
	}

	return gen, gen.Name != ""
}

// repr renders a 0.30 {"kind": "c", "packed": true, "align": 8} as
// "c, packed, align(8)".
func (p *anchorParser) repr(v view) string {
	r, ok := v.child("repr", false)
	if !ok {
		return ""
	}

	parts := []string{r.str("kind", true)}
	if r.boolean("packed") {
		parts = append(parts, "packed")
	}
	if align, ok := r.integer("align", false); ok {
		parts = append(parts, "align("+itoa(int(align))+")")
	}

	return strings.Join(parts, ", ")
}
