package idl

import "strconv"

// readLegacyHeader reads a pre-0.30 IDL's name, version and the program id
// it may keep in metadata.address.
func (p *anchorParser) readLegacyHeader(root view, prog *Program) {
	prog.Name = root.str("name", true)
	prog.Version = root.str("version", false)

	meta, ok := root.child("metadata", false)
	if ok {
		prog.Address = meta.str("address", false)
	}

	p.native = meta.obj != nil && meta.str("origin", false) == "shank"
	for _, item := range root.list("instructions", false) {
		if obj, ok := item.(object); ok && hasKey(obj, "discriminant") {
			p.native = true
		}
	}
}

// legacyInstructionDiscriminator takes a Shank "discriminant" when there is
// one. Otherwise it computes Anchor's hash, as Anchor's own client does for
// every legacy IDL, unless the IDL belongs to a native program whose other
// instructions carry discriminants: guessing an Anchor hash there would
// show bytes the program never reads.
func (p *anchorParser) legacyInstructionDiscriminator(v view, name string) ([]int, bool) {
	if v.has("discriminant") {
		return p.discriminant(v), false
	}
	if p.native || name == "" {
		return nil, false
	}

	return InstructionDiscriminator(name), true
}

// discriminant reads Shank's {"type": "u8", "value": N}, encoding the value
// little-endian at the width of its type.
func (p *anchorParser) discriminant(v view) []int {
	d, ok := v.child("discriminant", true)
	if !ok {
		return nil
	}

	typeName := d.str("type", true)
	width, known := integerWidths[typeName]
	if !known || typeName[0] == 'i' {
		if typeName != "" {
			p.c.fail(d.at("type"), "unknown discriminant type %q: expected an unsigned integer type such as \"u8\"", typeName)
		}
		return nil
	}

	value, ok := d.integer("value", true)
	if !ok {
		return nil
	}
	if value < 0 || (width < 8 && value >= int64(1)<<(8*width)) {
		p.c.fail(d.at("value"), "value %d does not fit in %s: use 0 to %s", value, typeName, maxUnsigned(width))
		return nil
	}

	return littleEndian(uint64(value), width)
}

func maxUnsigned(width int) string {
	if width >= 8 {
		return "18446744073709551615"
	}

	return strconv.FormatUint(uint64(1)<<(8*width)-1, 10)
}

func littleEndian(value uint64, width int) []int {
	out := make([]int, width)
	for i := range out {
		out[i] = int(value >> (8 * i) & 0xff)
	}

	return out
}

// legacyDiscriminator returns an account or event discriminator of a
// legacy IDL: the explicit bytes when listed, else Anchor's hash, except
// for native programs, which have no Anchor discriminators.
func (p *anchorParser) legacyDiscriminator(v view, compute func(string) []int, name string) ([]int, bool) {
	if v.has("discriminator") {
		return readDiscriminator(p.c, v.raw("discriminator"), v.at("discriminator"), false), false
	}
	if p.native || name == "" {
		return nil, false
	}

	return compute(name), true
}

// legacyBody reads the inline struct of a legacy account.
func (p *anchorParser) legacyBody(v view, what string) []Field {
	body, ok := v.child("type", true)
	if !ok {
		return nil
	}

	kind := body.str("kind", true)
	switch kind {
	case "struct":
		return p.fieldList(body.list("fields", false), body.at("fields"), nil)
	case "enum":
		p.readVariants(body, nil)
		return nil
	case "":
		return nil
	}

	p.c.fail(body.at("kind"), "unknown %s kind %q: expected \"struct\" or \"enum\"", what, kind)
	return nil
}
