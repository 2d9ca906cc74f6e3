package idl

import "fmt"

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

	more := "problems"
	if len(e.Problems) == 2 {
		more = "problem"
	}

	return fmt.Sprintf("invalid IDL: %s: %s (and %d more %s)", first.Path, first.Message, len(e.Problems)-1, more)
}

func invalid(path, format string, args ...any) *InvalidError {
	return &InvalidError{Problems: []Problem{{Path: path, Message: fmt.Sprintf(format, args...)}}}
}

// Detect returns the format of an IDL document. It rejects input that is
// not a single JSON object in one of the three accepted formats with an
// *InvalidError. A leading UTF-8 byte order mark is ignored; duplicate
// keys and data after the object are rejected.
func Detect(data []byte) (Format, error) {
	root, err := decodeTree(data)
	if err != nil {
		return "", err
	}

	format, err := detectTree(root)
	if err != nil {
		return "", err
	}

	return format, nil
}

// detectTree classifies a decoded document: Codama by kind "rootNode",
// Anchor 0.30 by metadata.spec (or, failing that, a root address), and
// legacy Anchor by a root name.
func detectTree(root any) (Format, *InvalidError) {
	obj, ok := root.(object)
	if !ok {
		return "", invalid("$", "the document is %s, not a JSON object: an IDL is an object such as {\"address\": ..., \"instructions\": [...]}", describe(root))
	}

	if kind, present := obj.get("kind"); present {
		if kind != "rootNode" {
			return "", invalid("kind", "the kind is %s, not \"rootNode\": a Codama IDL's root node has kind \"rootNode\"", describe(kind))
		}
		if _, ok := obj.get("program"); !ok {
			return "", invalid("program", "missing: a Codama root node needs a program node")
		}
		return FormatCodama, nil
	}

	if _, ok := obj.get("instructions"); !ok {
		return "", invalid("instructions", "missing: an Anchor IDL lists its instructions (use [] for none); a Codama IDL has kind \"rootNode\"")
	}

	if meta, ok := obj.get("metadata"); ok {
		if m, ok := meta.(object); ok {
			if _, ok := m.get("spec"); ok {
				return FormatAnchor, nil
			}
		}
	}

	if _, ok := obj.get("address"); ok {
		return FormatAnchor, nil
	}
	if _, ok := obj.get("name"); ok {
		return FormatAnchorLegacy, nil
	}

	return "", invalid("name", "missing: a legacy Anchor IDL has a top-level name, a newer one metadata.spec and address")
}
