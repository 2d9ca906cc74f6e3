package idl

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// InvalidError reports why an IDL was rejected, with every problem found.
type InvalidError struct {
	Problems []Problem
}

func (e *InvalidError) Error() string {
	if len(e.Problems) == 0 {
		return "invalid IDL"
	}

	first := e.Problems[0]
	if len(e.Problems) == 1 {
		return fmt.Sprintf("invalid IDL: %s: %s", first.Path, first.Message)
	}

	return fmt.Sprintf("invalid IDL: %s: %s (and %d more problems)", first.Path, first.Message, len(e.Problems)-1)
}

func invalid(path, format string, args ...any) *InvalidError {
	return &InvalidError{Problems: []Problem{{Path: path, Message: fmt.Sprintf(format, args...)}}}
}

// Detect returns the format of an IDL document. It rejects input that is
// not a single JSON object in one of the three accepted formats with an
// *InvalidError.
func Detect(data []byte) (Format, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))

	var root map[string]json.RawMessage
	if err := decodeSingle(data, &root); err != nil {
		return "", err
	}

	return detectRoot(root)
}

func decodeSingle(data []byte, root *map[string]json.RawMessage) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return invalid("$", "the document is empty: send the IDL's JSON object")
	}
	if trimmed[0] != '{' {
		return invalid("$", "the document is not a JSON object: an IDL is an object such as {\"address\": ..., \"instructions\": [...]}")
	}

	dec := json.NewDecoder(bytes.NewReader(trimmed))
	if err := dec.Decode(root); err != nil {
		return invalid("$", "the document is not valid JSON: %v", err)
	}
	if dec.More() {
		return invalid("$", "the document has data after its JSON object: send one object only")
	}

	return nil
}

func detectRoot(root map[string]json.RawMessage) (Format, error) {
	if kind, ok := stringField(root, "kind"); ok {
		if kind != "rootNode" {
			return "", invalid("kind", "unknown kind %q: a Codama IDL has kind \"rootNode\"", kind)
		}
		if _, ok := root["program"]; !ok {
			return "", invalid("program", "missing: a Codama root node needs a program node")
		}
		return FormatCodama, nil
	}

	if _, ok := root["instructions"]; !ok {
		return "", invalid("instructions", "missing: an Anchor IDL lists its instructions (use [] for none); a Codama IDL has kind \"rootNode\"")
	}

	if meta, ok := root["metadata"]; ok {
		var m map[string]json.RawMessage
		if json.Unmarshal(meta, &m) == nil {
			if _, ok := stringField(m, "spec"); ok {
				return FormatAnchor, nil
			}
		}
	}

	if _, ok := root["address"]; ok {
		return FormatAnchor, nil
	}
	if _, ok := stringField(root, "name"); ok {
		return FormatAnchorLegacy, nil
	}

	return "", invalid("name", "missing: a legacy Anchor IDL has a top-level name, a newer one metadata.spec and address")
}

func stringField(m map[string]json.RawMessage, key string) (string, bool) {
	raw, ok := m[key]
	if !ok {
		return "", false
	}

	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}

	return s, true
}
