package idl

// Parse detects, validates and parses an IDL into its format-independent
// view. An invalid IDL gives an *InvalidError listing every problem found;
// oddities that tools still read are listed in Program.Warnings instead.
func Parse(data []byte) (*Program, error) {
	prog, problems := parse(data)
	if len(problems) > 0 {
		return nil, &InvalidError{Problems: problems}
	}

	return prog, nil
}

// Validate returns every problem that makes an IDL invalid, or nil when
// Parse would accept it.
func Validate(data []byte) []Problem {
	_, problems := parse(data)
	return problems
}

func parse(data []byte) (*Program, []Problem) {
	root, err := decodeTree(data)
	if err != nil {
		return nil, err.Problems
	}

	format, err := detectTree(root)
	if err != nil {
		return nil, err.Problems
	}

	c := &checker{}
	rootView := view{c: c, obj: root.(object)}

	var prog *Program
	switch format {
	case FormatCodama:
		prog = parseCodama(c, rootView)
	case FormatAnchor:
		prog = parseAnchor(c, rootView, false)
	default:
		prog = parseAnchor(c, rootView, true)
	}

	prog.Warnings = dedupe(c.warnings)
	return prog, dedupe(c.problems)
}

// dedupe drops repeated problems, which arise when several instructions
// link the same Codama PDA and its seeds are read once per link.
func dedupe(problems []Problem) []Problem {
	seen := make(map[Problem]bool, len(problems))
	out := problems[:0]
	for _, problem := range problems {
		if !seen[problem] {
			seen[problem] = true
			out = append(out, problem)
		}
	}

	return out
}
