package idl

import (
	"encoding/json"
	"strings"
)

// codamaNumberFormats lists numberTypeNode formats.
var codamaNumberFormats = map[string]bool{
	"u8": true, "u16": true, "u32": true, "u64": true, "u128": true,
	"i8": true, "i16": true, "i32": true, "i64": true, "i128": true,
	"f32": true, "f64": true, "shortU16": true,
}

// codamaWrappers maps each type node that only changes the encoding of
// another type to the key holding that type. They render as the inner
// type, so a size-prefixed string reads "string".
var codamaWrappers = map[string]string{
	"sizePrefixTypeNode":   "type",
	"hiddenPrefixTypeNode": "type",
	"hiddenSuffixTypeNode": "type",
	"preOffsetTypeNode":    "type",
	"postOffsetTypeNode":   "type",
	"sentinelTypeNode":     "type",
	"amountTypeNode":       "number",
	"dateTimeTypeNode":     "number",
	"solAmountTypeNode":    "number",
}

// render returns a Codama type node as Anchor users read types: u64,
// pubkey, Option<T>, Vec<T>, [T; N], HashMap<K, V>, HashSet<T>, (A, B).
func (p *codamaParser) render(value any, path string, depth int) string {
	if depth > maxTypeDepth {
		p.c.fail(path, "the type nests deeper than %d levels: simplify it or use a defined type", maxTypeDepth)
		return "unknown"
	}

	v, ok := p.c.objectAt(value, path, "a type node")
	if !ok {
		return "unknown"
	}

	kind := v.str("kind", true)
	if key, ok := codamaWrappers[kind]; ok {
		return p.renderChild(v, key, depth)
	}

	switch kind {
	case "numberTypeNode":
		return p.numberFormat(v)
	case "publicKeyTypeNode":
		return "pubkey"
	case "booleanTypeNode":
		return "bool"
	case "stringTypeNode":
		return "string"
	case "bytesTypeNode":
		return "bytes"
	case "definedTypeLinkNode":
		name := v.str("name", true)
		p.refs = append(p.refs, typeRef{name: name, path: v.at("name"), args: -1})
		return name
	case "optionTypeNode", "zeroableOptionTypeNode", "remainderOptionTypeNode":
		return "Option<" + p.renderChild(v, "item", depth) + ">"
	case "arrayTypeNode":
		return p.renderArray(v, depth)
	case "setTypeNode":
		return "HashSet<" + p.renderChild(v, "item", depth) + ">"
	case "mapTypeNode":
		return "HashMap<" + p.renderChild(v, "key", depth) + ", " + p.renderChild(v, "value", depth) + ">"
	case "tupleTypeNode":
		return "(" + strings.Join(p.renderItems(v, depth), ", ") + ")"
	case "fixedSizeTypeNode":
		return p.renderFixedSize(v, depth)
	case "structTypeNode":
		return p.renderStruct(v, depth)
	case "enumTypeNode":
		return p.renderEnum(v)
	case "":
		return "unknown"
	}

	p.c.fail(v.at("kind"), "unknown type node %q: expected a Codama type node such as numberTypeNode or definedTypeLinkNode", kind)
	return "unknown"
}

func (p *codamaParser) renderChild(v view, key string, depth int) string {
	if !v.has(key) {
		p.c.fail(v.at(key), "missing: a %s needs its %s type node", v.str("kind", false), key)
		return "unknown"
	}

	return p.render(v.raw(key), v.at(key), depth+1)
}

func (p *codamaParser) numberFormat(v view) string {
	format := v.str("format", true)
	if format != "" && !codamaNumberFormats[format] {
		p.c.fail(v.at("format"), "unknown number format %q: expected u8 to u128, i8 to i128, f32, f64 or shortU16", format)
	}

	return format
}

// renderArray reads the count node: a fixed count gives [T; N], a
// length prefix or the rest of the data gives Vec<T>.
func (p *codamaParser) renderArray(v view, depth int) string {
	item := p.renderChild(v, "item", depth)

	count, ok := v.child("count", true)
	if !ok {
		return "Vec<" + item + ">"
	}

	switch kind := count.str("kind", true); kind {
	case "fixedCountNode":
		n, _ := count.integer("value", true)
		if n < 0 {
			p.c.fail(count.at("value"), "a fixed count must not be negative, got %d", n)
		}
		return "[" + item + "; " + itoa(int(n)) + "]"
	case "prefixedCountNode", "remainderCountNode", "":
		return "Vec<" + item + ">"
	default:
		p.c.fail(count.at("kind"), "unknown count node %q: expected fixedCountNode, prefixedCountNode or remainderCountNode", kind)
		return "Vec<" + item + ">"
	}
}

func (p *codamaParser) renderItems(v view, depth int) []string {
	items := v.list("items", true)
	parts := make([]string, len(items))
	for i, item := range items {
		parts[i] = p.render(item, indexPath(v.at("items"), i), depth+1)
	}

	return parts
}

// renderFixedSize shows fixed-size bytes as [u8; N]; other fixed-size
// types, such as a padded string, read as their inner type.
func (p *codamaParser) renderFixedSize(v view, depth int) string {
	inner := p.renderChild(v, "type", depth)
	size, _ := v.integer("size", true)

	if inner == "bytes" {
		return "[u8; " + itoa(int(size)) + "]"
	}

	return inner
}

func (p *codamaParser) renderStruct(v view, depth int) string {
	var parts []string
	p.eachNode(v, "fields", "structFieldTypeNode", true, func(f view) {
		parts = append(parts, f.str("name", true)+": "+p.renderChild(f, "type", depth))
	})

	return "{ " + strings.Join(parts, ", ") + " }"
}

func (p *codamaParser) renderEnum(v view) string {
	var names []string
	for _, variant := range p.variants(v) {
		names = append(names, variant.Name)
	}

	return "enum { " + strings.Join(names, " | ") + " }"
}

// valueText renders a constant value node readably: a string as its text,
// bytes as text when printable (else a byte list), numbers and public keys
// as written.
func (p *codamaParser) valueText(value any, path string) string {
	v, ok := p.c.objectAt(value, path, "a value node")
	if !ok {
		return ""
	}

	switch v.str("kind", true) {
	case "stringValueNode":
		return v.str("string", true)
	case "publicKeyValueNode":
		return v.str("publicKey", true)
	case "programIdValueNode":
		return p.address
	case "numberValueNode":
		if n, ok := v.raw("number").(json.Number); ok {
			return string(n)
		}
		p.c.fail(v.at("number"), "must be a number, got %s", describe(v.raw("number")))
	case "bytesValueNode":
		data, _ := p.decodeBytes(v)
		return RenderBytes(data)
	case "booleanValueNode":
		if v.boolean("boolean") {
			return "true"
		}
		return "false"
	}

	return string(encodeJSON(v.obj))
}
