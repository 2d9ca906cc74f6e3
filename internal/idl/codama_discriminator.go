package idl

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"strings"
)

// instructionDiscriminator builds an instruction's discriminator from its
// discriminator nodes. Without any, it falls back to an argument named
// "discriminator" with a default value, which older Codama trees use.
func (p *codamaParser) instructionDiscriminator(v view) []int {
	fields := view{c: p.c, path: v.at("arguments")}
	for _, item := range v.list("arguments", false) {
		if obj, ok := item.(object); ok {
			name, _ := obj.get("name")
			key, _ := name.(string)
			fields.obj = append(fields.obj, member{key: key, value: obj})
		}
	}

	if !v.has("discriminators") {
		return p.fieldBytes(fields, "discriminator", v.at("arguments"), false)
	}

	return p.discriminator(v, fields)
}

// discriminator concatenates the bytes of constant and field
// discriminator nodes in offset order. A size discriminator has no bytes.
// fields maps field or argument names to their nodes.
func (p *codamaParser) discriminator(v view, fields view) []int {
	var out []int
	for i, item := range v.list("discriminators", false) {
		path := indexPath(v.at("discriminators"), i)
		d, ok := p.c.objectAt(item, path, "a discriminator node")
		if !ok {
			continue
		}

		offset, _ := d.integer("offset", false)
		chunk := p.discriminatorChunk(d, fields)
		if chunk != nil && int(offset) == len(out) {
			out = append(out, chunk...)
		}
	}

	return out
}

// fieldsByName indexes the fields of a structTypeNode by name.
func (p *codamaParser) fieldsByName(data view) view {
	byName := view{c: p.c, path: data.path}
	for _, item := range data.list("fields", false) {
		if obj, ok := item.(object); ok {
			name, _ := obj.get("name")
			key, _ := name.(string)
			byName.obj = append(byName.obj, member{key: key, value: obj})
		}
	}

	return byName
}

func (p *codamaParser) discriminatorChunk(d view, fields view) []int {
	switch kind := d.str("kind", true); kind {
	case "fieldDiscriminatorNode":
		return p.fieldBytes(fields, d.str("name", true), d.at("name"), true)
	case "constantDiscriminatorNode":
		constant, ok := p.node(d.raw("constant"), d.at("constant"), "constantValueNode")
		if !ok {
			return nil
		}
		data, _ := p.encodeValue(constant.raw("value"), constant.at("value"), constant.raw("type"))
		return bytesToInts(data)
	case "sizeDiscriminatorNode", "":
		return nil
	default:
		p.c.fail(d.at("kind"), "unknown discriminator node %q: expected fieldDiscriminatorNode, constantDiscriminatorNode or sizeDiscriminatorNode", kind)
		return nil
	}
}

// fieldBytes encodes the default value of the named field or argument.
func (p *codamaParser) fieldBytes(fields view, name, path string, required bool) []int {
	raw, ok := fields.obj.get(name)
	if !ok {
		if required {
			p.c.fail(path, "the discriminator field %q is not among the fields: name an existing field or argument", name)
		}
		return nil
	}

	field := view{c: p.c, obj: raw.(object), path: fields.path}
	if !field.has("defaultValue") {
		if required {
			p.c.fail(path, "the discriminator field %q has no defaultValue: give it the discriminator's value", name)
		}
		return nil
	}

	data, _ := p.encodeValue(field.raw("defaultValue"), joinPath(path, "defaultValue"), field.raw("type"))
	return bytesToInts(data)
}

// encodeValue encodes a value node by its type node: numbers at the width
// and endianness of their numberTypeNode, enum values as their variant
// index, strings as UTF-8, bytes from their encoding.
func (p *codamaParser) encodeValue(value any, path string, typeNode any) ([]byte, bool) {
	v, ok := p.c.objectAt(value, path, "a value node")
	if !ok {
		return nil, false
	}

	switch v.str("kind", true) {
	case "numberValueNode":
		return p.encodeNumber(v, path, typeNode)
	case "bytesValueNode":
		return p.decodeBytes(v)
	case "stringValueNode":
		return []byte(v.str("string", true)), true
	case "booleanValueNode":
		if v.boolean("boolean") {
			return []byte{1}, true
		}
		return []byte{0}, true
	case "enumValueNode":
		return p.encodeEnum(v)
	}

	return nil, false
}

func (p *codamaParser) encodeNumber(v view, path string, typeNode any) ([]byte, bool) {
	format, endian := numberType(typeNode, 0)
	width, ok := integerWidths[format]
	if !ok {
		width, endian = 1, "le"
	}

	number, isNumber := v.raw("number").(json.Number)
	n, valid := new(big.Int).SetString(string(number), 10)
	if !isNumber || !valid {
		p.c.fail(joinPath(path, "number"), "a discriminator value must be an integer, got %s", describe(v.raw("number")))
		return nil, false
	}

	data, fits := twosComplement(n, width, format != "" && format[0] == 'i')
	if !fits {
		p.c.fail(joinPath(path, "number"), "value %s does not fit in %d bytes (%s)", n, width, format)
		return nil, false
	}
	if endian == "be" {
		reverse(data)
	}

	return data, true
}

// numberType finds the numberTypeNode inside wrapper nodes.
func numberType(typeNode any, depth int) (format, endian string) {
	obj, ok := typeNode.(object)
	if !ok || depth > maxTypeDepth {
		return "", ""
	}

	v := view{c: &checker{}, obj: obj}
	rawKind, _ := obj.get("kind")
	kind, _ := rawKind.(string)
	if kind == "numberTypeNode" {
		return v.str("format", false), v.str("endian", false)
	}
	if key, ok := codamaWrappers[kind]; ok {
		return numberType(v.raw(key), depth+1)
	}

	return "", ""
}

// twosComplement encodes n little-endian in width bytes.
func twosComplement(n *big.Int, width int, signed bool) ([]byte, bool) {
	limit := new(big.Int).Lsh(big.NewInt(1), uint(8*width))
	low := new(big.Int)
	high := new(big.Int).Set(limit)
	if signed {
		high.Rsh(limit, 1)
		low.Neg(high)
	}
	if n.Cmp(low) < 0 || n.Cmp(high) >= 0 {
		return nil, false
	}

	value := new(big.Int).Set(n)
	if value.Sign() < 0 {
		value.Add(value, limit)
	}

	data := value.FillBytes(make([]byte, width))
	reverse(data)

	return data, true
}

func reverse(data []byte) {
	for i, j := 0, len(data)-1; i < j; i, j = i+1, j-1 {
		data[i], data[j] = data[j], data[i]
	}
}

// encodeEnum encodes an enum value as its variant index, at the width of
// the enum's size node (u8 by default, as in Borsh).
func (p *codamaParser) encodeEnum(v view) ([]byte, bool) {
	variant := v.str("variant", true)
	link, ok := v.child("enum", true)
	if !ok {
		return nil, false
	}

	def, found := p.definedTypes[link.str("name", true)]
	if !found {
		return nil, false
	}

	body, ok := def.obj.get("type")
	bodyObj, isObject := body.(object)
	if !ok || !isObject {
		return nil, false
	}

	enum := view{c: &checker{}, obj: bodyObj}
	for i, item := range enum.list("variants", false) {
		if obj, ok := item.(object); ok {
			if name, _ := obj.get("name"); name == variant {
				return p.encodeNumber(view{c: p.c, obj: object{{key: "number", value: json.Number(itoa(i))}}}, v.path, enum.raw("size"))
			}
		}
	}

	return nil, false
}

// decodeBytes decodes a bytesValueNode's data by its encoding.
func (p *codamaParser) decodeBytes(v view) ([]byte, bool) {
	data := v.str("data", true)

	var (
		out []byte
		err error
	)
	switch encoding := v.str("encoding", true); encoding {
	case "base16":
		out, err = hex.DecodeString(data)
	case "base64":
		out, err = base64.StdEncoding.DecodeString(data)
	case "base58":
		out, err = decodeBase58(data)
		if len(data) > maxBase58Len {
			p.c.fail(v.at("data"), "base58 data of %d characters is too long: use at most %d, or base16 or base64", len(data), maxBase58Len)
			return nil, false
		}
	case "utf8":
		out = []byte(data)
	default:
		p.c.fail(v.at("encoding"), "unknown bytes encoding %q: expected base16, base58, base64 or utf8", encoding)
		return nil, false
	}

	if err != nil {
		p.c.fail(v.at("data"), "the data is not valid %s: %v", v.str("encoding", false), err)
		return nil, false
	}

	return out, true
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// maxBase58Len bounds base58 values, whose decoding takes time quadratic in
// their length; discriminators and keys are far shorter.
const maxBase58Len = 1024

// decodeBase58 decodes Bitcoin-alphabet base58, which Solana uses.
func decodeBase58(s string) ([]byte, error) {
	if len(s) > maxBase58Len {
		return nil, nil
	}

	n := new(big.Int)
	radix := big.NewInt(58)
	for _, r := range s {
		digit := strings.IndexRune(base58Alphabet, r)
		if digit < 0 {
			return nil, &base58Error{char: r}
		}
		n.Mul(n, radix)
		n.Add(n, big.NewInt(int64(digit)))
	}

	zeros := len(s) - len(strings.TrimLeft(s, "1"))
	return append(make([]byte, zeros), n.Bytes()...), nil
}

type base58Error struct{ char rune }

func (e *base58Error) Error() string {
	return "invalid base58 character " + string(e.char)
}
