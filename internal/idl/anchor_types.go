package idl

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// maxTypeDepth bounds how deeply type expressions such as Option<Vec<T>>
// may nest. Real IDLs stay under 6 levels.
const maxTypeDepth = 32

// anchorPrimitives maps every type name Anchor writes as a bare string to its
// rendering. The legacy spelling publicKey renders as pubkey, the 0.30 one.
var anchorPrimitives = map[string]string{
	"bool": "bool", "u8": "u8", "i8": "i8", "u16": "u16", "i16": "i16",
	"u32": "u32", "i32": "i32", "f32": "f32", "u64": "u64", "i64": "i64",
	"f64": "f64", "u128": "u128", "i128": "i128", "u256": "u256", "i256": "i256",
	"bytes": "bytes", "string": "string", "pubkey": "pubkey", "publicKey": "pubkey",
}

// typeRef is one use of a user-defined type, checked once all types are known.
type typeRef struct {
	name string
	path string
	// args is the number of generic arguments given, or -1 when the
	// reference does not list them (legacy {"defined": "Name"}).
	args int
	// asWritten is a legacy reference with its arguments inside the name,
	// such as "SlotTrackedValue<u64>"; its base name is name.
	asWritten bool
	scope     genericScope
	// lenient marks references whose absence is only a warning even in a
	// strict format.
	lenient bool
}

// genericScope holds the generic parameter names of the type being read.
type genericScope map[string]bool

// anchorTypes renders Anchor type expressions and records the user-defined
// types they reference.
type anchorTypes struct {
	c    *checker
	refs []typeRef
}

// render returns the type as Anchor users read it, such as Option<pubkey>,
// recording a problem for every malformed part.
func (t *anchorTypes) render(value any, path string, scope genericScope, depth int) string {
	if depth > maxTypeDepth {
		t.c.fail(path, "the type nests deeper than %d levels: simplify it or use a defined type", maxTypeDepth)
		return "unknown"
	}

	switch v := value.(type) {
	case string:
		return t.renderName(v, path, scope)
	case object:
		return t.renderForm(v, path, scope, depth)
	default:
		t.c.fail(path, "invalid type %s: expected a type name such as \"u64\" or an object such as {\"vec\": \"u8\"}", describe(value))
		return "unknown"
	}
}

func (t *anchorTypes) renderName(name, path string, scope genericScope) string {
	if rendered, ok := anchorPrimitives[name]; ok {
		return rendered
	}
	if scope[name] {
		return name
	}

	t.c.fail(path, "unknown type %q: expected a primitive such as u64, pubkey, string or bytes, or {\"defined\": ...} for a user type", name)
	return name
}

func (t *anchorTypes) renderForm(form object, path string, scope genericScope, depth int) string {
	if len(form) != 1 {
		t.c.fail(path, "a type object must have exactly one key such as \"vec\" or \"defined\", got %d keys (%s)", len(form), strings.Join(keysOf(form), ", "))
		return "unknown"
	}

	key, inner := form[0].key, form[0].value
	innerPath := joinPath(path, key)

	switch key {
	case "option":
		return "Option<" + t.render(inner, innerPath, scope, depth+1) + ">"
	case "coption":
		return "COption<" + t.render(inner, innerPath, scope, depth+1) + ">"
	case "vec":
		return "Vec<" + t.render(inner, innerPath, scope, depth+1) + ">"
	case "array", "genericLenArray":
		return t.renderArray(inner, innerPath, scope, depth)
	case "tuple":
		return t.renderTuple(inner, innerPath, scope, depth)
	case "defined":
		return t.renderDefined(inner, innerPath, scope, depth)
	case "definedWithTypeArgs":
		return t.renderDefinedWithTypeArgs(inner, innerPath, scope, depth)
	case "generic":
		return t.renderGeneric(inner, innerPath, scope)
	case "hashMap", "bTreeMap":
		return t.renderMap(key, inner, innerPath, scope, depth)
	case "hashSet", "bTreeSet":
		return collectionName(key) + "<" + t.render(inner, innerPath, scope, depth+1) + ">"
	}

	t.c.fail(path, "unknown type form %q: expected one of option, coption, vec, array, tuple, defined, generic", key)
	return "unknown"
}

func collectionName(key string) string {
	return strings.ToUpper(key[:1]) + key[1:]
}

// renderArray reads [T, N]; N is a length, a {"generic": "N"} object (0.30)
// or a generic name string (legacy genericLenArray).
func (t *anchorTypes) renderArray(value any, path string, scope genericScope, depth int) string {
	pair, ok := value.([]any)
	if !ok || len(pair) != 2 {
		t.c.fail(path, "an array type must be [element type, length], got %s", describe(value))
		return "unknown"
	}

	element := t.render(pair[0], indexPath(path, 0), scope, depth+1)
	length := t.renderLength(pair[1], indexPath(path, 1), scope)

	return "[" + element + "; " + length + "]"
}

func (t *anchorTypes) renderLength(value any, path string, scope genericScope) string {
	switch v := value.(type) {
	case json.Number:
		n, err := strconv.ParseUint(string(v), 10, 32)
		if err != nil {
			t.c.fail(path, "an array length must be a whole number from 0 to 4294967295, got %s", v)
		}
		return strconv.FormatUint(n, 10)
	case string:
		return t.genericName(v, path, scope)
	case object:
		if name, ok := v.get("generic"); ok && len(v) == 1 {
			return t.renderGeneric(name, joinPath(path, "generic"), scope)
		}
	}

	t.c.fail(path, "an array length must be a number or {\"generic\": \"N\"}, got %s", describe(value))
	return "?"
}

func (t *anchorTypes) renderTuple(value any, path string, scope genericScope, depth int) string {
	items, ok := value.([]any)
	if !ok {
		t.c.fail(path, "a tuple type must be an array of types, got %s", describe(value))
		return "unknown"
	}

	parts := make([]string, len(items))
	for i, item := range items {
		parts[i] = t.render(item, indexPath(path, i), scope, depth+1)
	}

	return "(" + strings.Join(parts, ", ") + ")"
}

func (t *anchorTypes) renderMap(key string, value any, path string, scope genericScope, depth int) string {
	pair, ok := value.([]any)
	if !ok || len(pair) != 2 {
		t.c.fail(path, "a map type must be [key type, value type], got %s", describe(value))
		return "unknown"
	}

	k := t.render(pair[0], indexPath(path, 0), scope, depth+1)
	v := t.render(pair[1], indexPath(path, 1), scope, depth+1)

	return collectionName(key) + "<" + k + ", " + v + ">"
}

func (t *anchorTypes) renderGeneric(value any, path string, scope genericScope) string {
	name, ok := value.(string)
	if !ok || name == "" {
		t.c.fail(path, "a generic must name a type parameter, got %s", describe(value))
		return "?"
	}

	return t.genericName(name, path, scope)
}

func (t *anchorTypes) genericName(name, path string, scope genericScope) string {
	if !scope[name] {
		t.c.fail(path, "generic %q is not declared: list it in the enclosing type's generics", name)
	}

	return name
}

// renderDefined reads {"defined": "Name"} (legacy, possibly with arguments
// inside the string) or {"defined": {"name": ..., "generics": [...]}} (0.30).
func (t *anchorTypes) renderDefined(value any, path string, scope genericScope, depth int) string {
	if name, ok := value.(string); ok {
		return t.renderDefinedString(name, path, scope)
	}

	form, ok := value.(object)
	if !ok {
		t.c.fail(path, "defined must be a type name or {\"name\": ...}, got %s", describe(value))
		return "unknown"
	}

	v := view{c: t.c, path: path, obj: form}
	name := v.str("name", true)

	if _, listed := v.obj.get("generics"); !listed {
		t.refs = append(t.refs, typeRef{name: name, path: v.at("name"), args: 0, scope: scope})
		return name
	}

	args := t.renderGenericArgs(v.list("generics", true), v.at("generics"), scope, depth, "kind")
	t.refs = append(t.refs, typeRef{name: name, path: v.at("name"), args: len(args), scope: scope})

	return withArgs(name, args)
}

func (t *anchorTypes) renderDefinedString(name, path string, scope genericScope) string {
	if name == "" {
		t.c.fail(path, "empty: name the defined type")
		return "unknown"
	}
	if scope[name] {
		return name
	}

	base, _, hasArgs := strings.Cut(name, "<")
	t.refs = append(t.refs, typeRef{name: base, path: path, args: -1, asWritten: hasArgs, scope: scope})

	return name
}

// renderDefinedWithTypeArgs reads the Anchor 0.29 form
// {"name": ..., "args": [{"type": T} | {"value": "8"}]}.
func (t *anchorTypes) renderDefinedWithTypeArgs(value any, path string, scope genericScope, depth int) string {
	v, ok := t.c.objectAt(value, path, "definedWithTypeArgs")
	if !ok {
		return "unknown"
	}

	name := v.str("name", true)
	args := t.renderGenericArgs(v.list("args", true), v.at("args"), scope, depth, "")
	t.refs = append(t.refs, typeRef{name: name, path: v.at("name"), args: len(args), scope: scope})

	return withArgs(name, args)
}

// renderGenericArgs renders generic arguments. With kindKey "kind" each is
// {"kind": "type", "type": T} or {"kind": "const", "value": "4"} (0.30);
// without it each is {"type": T} or {"value": "4"} (0.29).
func (t *anchorTypes) renderGenericArgs(items []any, path string, scope genericScope, depth int, kindKey string) []string {
	args := make([]string, 0, len(items))
	for i, item := range items {
		v, ok := t.c.objectAt(item, indexPath(path, i), "a generic argument")
		if !ok {
			args = append(args, "?")
			continue
		}
		args = append(args, t.renderGenericArg(v, scope, depth, kindKey))
	}

	return args
}

func (t *anchorTypes) renderGenericArg(v view, scope genericScope, depth int, kindKey string) string {
	kind := ""
	if kindKey != "" {
		kind = v.str(kindKey, true)
	} else if v.has("value") {
		kind = "const"
	} else {
		kind = "type"
	}

	switch kind {
	case "type":
		if !v.has("type") {
			v.c.fail(v.at("type"), "missing: a type argument needs its type")
			return "?"
		}
		return t.render(v.raw("type"), v.at("type"), scope, depth+1)
	case "const":
		return t.constArg(v)
	case "":
		return "?"
	}

	v.c.fail(v.at(kindKey), "unknown generic argument kind %q: expected \"type\" or \"const\"", kind)
	return "?"
}

func (t *anchorTypes) constArg(v view) string {
	value := v.raw("value")
	switch c := value.(type) {
	case string:
		if c == "" {
			v.c.fail(v.at("value"), "empty: a const generic argument needs its value, such as \"4\"")
		}
		return c
	case json.Number:
		return string(c)
	}

	v.c.fail(v.at("value"), "a const generic argument must be a string such as \"4\", got %s", describe(value))
	return "?"
}

func withArgs(name string, args []string) string {
	if len(args) == 0 {
		return name
	}

	return name + "<" + strings.Join(args, ", ") + ">"
}

func keysOf(obj object) []string {
	keys := make([]string, len(obj))
	for i, m := range obj {
		keys[i] = strconv.Quote(m.key)
	}
	sort.Strings(keys)

	return keys
}
