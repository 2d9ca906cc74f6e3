package idl

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/orquestra/orquestra/internal/input"
)

// checker collects the problems that make an IDL invalid and the warnings
// about oddities that tools still read, each with its JSON path.
type checker struct {
	problems []Problem
	warnings []Problem
}

func (c *checker) fail(path, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: pathOrRoot(path), Message: fmt.Sprintf(format, args...)})
}

func (c *checker) warn(path, format string, args ...any) {
	c.warnings = append(c.warnings, Problem{Path: pathOrRoot(path), Message: fmt.Sprintf(format, args...)})
}

// view is a JSON object at a known path, read through typed accessors that
// record a problem for every value of the wrong JSON type.
type view struct {
	c    *checker
	path string
	obj  object
}

// objectAt returns v as a view, recording a problem when it is not an object.
func (c *checker) objectAt(v any, path, what string) (view, bool) {
	obj, ok := v.(object)
	if !ok {
		c.fail(path, "%s must be an object, got %s", what, describe(v))
		return view{}, false
	}

	return view{c: c, path: path, obj: obj}, true
}

func (v view) at(key string) string {
	return joinPath(v.path, key)
}

func (v view) has(key string) bool {
	value, ok := v.obj.get(key)
	return ok && value != nil
}

func (v view) raw(key string) any {
	value, _ := v.obj.get(key)
	return value
}

// str reads a string field. A required field that is missing or empty is a
// problem, and so is a value of another JSON type.
func (v view) str(key string, required bool) string {
	value, ok := v.obj.get(key)
	if !ok || value == nil {
		if required {
			v.c.fail(v.at(key), "missing: a string is required here")
		}
		return ""
	}

	s, isString := value.(string)
	if !isString {
		v.c.fail(v.at(key), "must be a string, got %s", describe(value))
		return ""
	}
	if required && s == "" {
		v.c.fail(v.at(key), "empty: a non-empty string is required here")
	}
	// A name with an invisible character displays differently from what it
	// is and cannot be looked up by name.
	if key == "name" {
		if i := strings.IndexFunc(s, input.Invisible); i >= 0 {
			v.c.fail(v.at(key), "the name %q contains the invisible character %U: remove it", s, []rune(s[i:])[0])
		}
	}

	return s
}

func (v view) boolean(key string) bool {
	value, ok := v.obj.get(key)
	if !ok || value == nil {
		return false
	}

	b, isBool := value.(bool)
	if !isBool {
		v.c.fail(v.at(key), "must be true or false, got %s", describe(value))
	}

	return b
}

// list reads an array field; an absent optional field gives nil.
func (v view) list(key string, required bool) []any {
	value, ok := v.obj.get(key)
	if !ok || value == nil {
		if required {
			v.c.fail(v.at(key), "missing: an array is required here (use [] for none)")
		}
		return nil
	}

	items, isArray := value.([]any)
	if !isArray {
		v.c.fail(v.at(key), "must be an array, got %s", describe(value))
		return nil
	}

	return items
}

// child reads an object field; an absent optional field reports false.
func (v view) child(key string, required bool) (view, bool) {
	value, ok := v.obj.get(key)
	if !ok || value == nil {
		if required {
			v.c.fail(v.at(key), "missing: an object is required here")
		}
		return view{}, false
	}

	return v.c.objectAt(value, v.at(key), key)
}

// each calls fn with every element of an array field that is an object,
// recording a problem for any other element.
func (v view) each(key string, required bool, what string, fn func(int, view)) {
	for i, item := range v.list(key, required) {
		path := indexPath(v.at(key), i)
		if item, ok := v.c.objectAt(item, path, what); ok {
			fn(i, item)
		}
	}
}

// docs reads a list of documentation lines.
func (v view) docs(key string) []string {
	items := v.list(key, false)
	if items == nil {
		return nil
	}

	lines := make([]string, 0, len(items))
	for i, item := range items {
		s, ok := item.(string)
		if !ok {
			v.c.fail(indexPath(v.at(key), i), "a documentation line must be a string, got %s", describe(item))
			continue
		}
		lines = append(lines, s)
	}

	return lines
}

// integer reads a whole-number field.
func (v view) integer(key string, required bool) (int64, bool) {
	value, ok := v.obj.get(key)
	if !ok || value == nil {
		if required {
			v.c.fail(v.at(key), "missing: an integer is required here")
		}
		return 0, false
	}

	n, ok := toInt(value)
	if !ok {
		v.c.fail(v.at(key), "must be an integer, got %s", describe(value))
	}

	return n, ok
}

func toInt(value any) (int64, bool) {
	number, ok := value.(json.Number)
	if !ok {
		return 0, false
	}

	n, err := strconv.ParseInt(string(number), 10, 64)
	return n, err == nil
}

// describe names the JSON type of a value for messages, with a short
// excerpt of scalars so the reader can find the value.
func describe(value any) string {
	switch v := value.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("the boolean %t", v)
	case json.Number:
		return "the number " + string(v)
	case string:
		if len(v) > 40 {
			v = v[:40] + "..."
		}
		return fmt.Sprintf("the string %q", v)
	case []any:
		return "an array"
	case object:
		return "an object"
	default:
		return fmt.Sprintf("%T", value)
	}
}

// encodeJSON re-encodes a decoded value. The tree holds only values that
// decodeTree produced, so the error branch is not expected to run.
func encodeJSON(value any) json.RawMessage {
	data, err := json.Marshal(value)
	if err != nil {
		return json.RawMessage("null")
	}

	return data
}
