package idl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxJSONDepth bounds how deeply arrays and objects may nest in an IDL
// document. The deepest corpus IDL nests 15 levels, so 128 leaves room for
// any real program while keeping recursion over the tree shallow.
const maxJSONDepth = 128

// member is one key and value of a JSON object, in document order.
type member struct {
	key   string
	value any
}

// object is a decoded JSON object that keeps its keys in document order, so
// re-encoding a type (Field.TypeJSON) gives the keys back as written.
type object []member

func (o object) get(key string) (any, bool) {
	for _, m := range o {
		if m.key == key {
			return m.value, true
		}
	}

	return nil, false
}

// MarshalJSON encodes the object with its keys in document order.
func (o object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')

	for i, m := range o {
		if i > 0 {
			buf.WriteByte(',')
		}

		key, err := json.Marshal(m.key)
		if err != nil {
			return nil, err
		}
		buf.Write(key)
		buf.WriteByte(':')

		value, err := json.Marshal(m.value)
		if err != nil {
			return nil, err
		}
		buf.Write(value)
	}

	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// decodeTree decodes one JSON document into objects, []any, json.Number,
// string, bool and nil. It strips a leading UTF-8 byte order mark, which
// RFC 8259 section 8.1 allows a parser to ignore, and rejects duplicate
// keys, because JSON parsers disagree on which duplicate wins.
func decodeTree(data []byte) (any, *InvalidError) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, invalid("$", "the document is empty: send the IDL's JSON object")
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()

	td := treeDecoder{dec: dec}
	root, err := td.value("", 0)
	if err != nil {
		return nil, err
	}

	if _, tokenErr := dec.Token(); !errors.Is(tokenErr, io.EOF) {
		return nil, invalid("$", "the document has data after its JSON value at byte %d: send one JSON object only", dec.InputOffset())
	}

	return root, nil
}

type treeDecoder struct {
	dec *json.Decoder
}

func (td *treeDecoder) value(path string, depth int) (any, *InvalidError) {
	token, err := td.dec.Token()
	if err != nil {
		return nil, td.syntaxError(err)
	}

	delim, isDelim := token.(json.Delim)
	if !isDelim {
		return token, nil
	}

	if depth >= maxJSONDepth {
		return nil, invalid(pathOrRoot(path), "the document nests deeper than %d levels: no IDL needs that many", maxJSONDepth)
	}

	if delim == '[' {
		return td.array(path, depth)
	}

	return td.object(path, depth)
}

func (td *treeDecoder) array(path string, depth int) (any, *InvalidError) {
	items := []any{}
	for td.dec.More() {
		item, err := td.value(indexPath(path, len(items)), depth+1)
		if err != nil {
			return nil, err
		}
		items = append(items, item)
	}

	if _, err := td.dec.Token(); err != nil {
		return nil, td.syntaxError(err)
	}

	return items, nil
}

func (td *treeDecoder) object(path string, depth int) (any, *InvalidError) {
	obj := object{}
	var seen map[string]bool

	for td.dec.More() {
		token, err := td.dec.Token()
		if err != nil {
			return nil, td.syntaxError(err)
		}
		key, _ := token.(string)

		if seen == nil && len(obj) >= 8 {
			seen = make(map[string]bool, 2*len(obj))
			for _, m := range obj {
				seen[m.key] = true
			}
		}
		if isDuplicateKey(obj, seen, key) {
			return nil, invalid(joinPath(path, key), "duplicate key %q: JSON readers disagree on which value wins, so keep one", key)
		}
		if seen != nil {
			seen[key] = true
		}

		value, verr := td.value(joinPath(path, key), depth+1)
		if verr != nil {
			return nil, verr
		}
		obj = append(obj, member{key: key, value: value})
	}

	if _, err := td.dec.Token(); err != nil {
		return nil, td.syntaxError(err)
	}

	return obj, nil
}

func isDuplicateKey(obj object, seen map[string]bool, key string) bool {
	if seen != nil {
		return seen[key]
	}

	_, found := obj.get(key)
	return found
}

func (td *treeDecoder) syntaxError(err error) *InvalidError {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return invalid("$", "the document ends early at byte %d, before its JSON is complete", td.dec.InputOffset())
	}

	return invalid("$", "the document is not valid JSON near byte %d: %v", td.dec.InputOffset(), err)
}

func pathOrRoot(path string) string {
	if path == "" {
		return "$"
	}

	return path
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}

	return path + "." + key
}

func indexPath(path string, i int) string {
	return fmt.Sprintf("%s[%d]", path, i)
}
