package idl

import (
	"regexp"
	"strconv"
)

// integerWidths gives the byte width of each fixed-size integer type.
var integerWidths = map[string]int{
	"u8": 1, "i8": 1, "u16": 2, "i16": 2, "u32": 4, "i32": 4,
	"u64": 8, "i64": 8, "u128": 16, "i128": 16,
}

func itoa(i int) string {
	return strconv.Itoa(i)
}

// checkTypeRefs reports references to types that are not declared, and
// generic arguments that do not match the type's parameter count. In the
// strict formats (Anchor 0.30, Codama) an undeclared type is a problem.
//
// NOTE: in legacy IDLs an undeclared type is only a warning, because
// hand-written IDLs of native programs name Rust types they never declare
// (spl-token's "COption<Pubkey>") and Anchor's own legacy output names
// types from other crates ("external::MyStruct"). Tools read these IDLs
// anyway, so rejecting them would turn away real programs.
func checkTypeRefs(c *checker, refs []typeRef, types []TypeDef, strict bool) {
	declared := make(map[string]TypeDef, len(types))
	for _, td := range types {
		if _, seen := declared[td.Name]; !seen {
			declared[td.Name] = td
		}
	}

	for _, ref := range refs {
		if ref.name == "" || ref.scope[ref.name] {
			continue
		}

		td, ok := declared[ref.name]
		switch {
		case !ok && strict && !ref.lenient:
			c.fail(ref.path, "type %q is not declared: add it to the type definitions or fix the name", ref.name)
		case !ok:
			c.warn(ref.path, "type %q is not declared in types; it is shown as written", ref.name)
		case ref.args >= 0 && ref.args != len(td.Generics):
			c.fail(ref.path, "type %q takes %d generic arguments, got %d: give one argument per parameter", ref.name, len(td.Generics), ref.args)
		}
	}
}

// checkUniqueNames rejects duplicate instruction, account and event names,
// which would make lookups by name ambiguous, and warns about duplicate
// type names and error codes, which real IDLs publish.
func checkUniqueNames(c *checker, prog *Program) {
	section := sectionNames(prog.Format)

	// Codama sub-instructions follow their parent in the list, so each
	// duplicate is reported at its own path in the IDL.
	first := map[string]string{}
	for i, ins := range prog.Instructions {
		path := ins.path
		if path == "" {
			path = indexPath(section.instructions, i)
		}
		if ins.Name == "" {
			continue
		}
		if at, seen := first[ins.Name]; seen {
			c.fail(joinPath(path, "name"), "duplicate instruction name %q, first used at %s", ins.Name, at)
			continue
		}
		first[ins.Name] = path
	}

	accounts := make([]string, len(prog.Accounts))
	for i, acc := range prog.Accounts {
		accounts[i] = acc.Name
	}
	uniqueNames(c, section.accounts, "account", accounts, c.fail)

	events := make([]string, len(prog.Events))
	for i, ev := range prog.Events {
		events[i] = ev.Name
	}
	uniqueNames(c, section.events, "event", events, c.fail)

	types := make([]string, len(prog.Types))
	for i, td := range prog.Types {
		types[i] = td.Name
	}
	uniqueNames(c, section.types, "type", types, c.warn)

	codes := make([]string, len(prog.Errors))
	errorNames := make([]string, len(prog.Errors))
	for i, e := range prog.Errors {
		codes[i] = itoa(e.Code)
		errorNames[i] = e.Name
	}
	uniqueValues(c, section.errors, "code", "error code", codes, c.warn)
	uniqueNames(c, section.errors, "error", errorNames, c.warn)

	checkMemberNames(c, prog, section)
}

// checkMemberNames warns about instruction arguments and struct fields
// that share a name: tools that build clients from the IDL cannot tell
// them apart.
func checkMemberNames(c *checker, prog *Program, section sections) {
	argsKey := "args"
	if prog.Format == FormatCodama {
		argsKey = "arguments"
	}

	for i, ins := range prog.Instructions {
		path := ins.path
		if path == "" {
			path = indexPath(section.instructions, i)
		}
		uniqueNames(c, joinPath(path, argsKey), "argument", fieldNames(ins.Args), c.warn)
	}
	for i, td := range prog.Types {
		uniqueNames(c, joinPath(indexPath(section.types, i), "type.fields"), "field", fieldNames(td.Fields), c.warn)
	}
}

func fieldNames(fields []Field) []string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return names
}

type sections struct {
	instructions, accounts, events, types, errors string
}

func sectionNames(format Format) sections {
	if format == FormatCodama {
		return sections{"program.instructions", "program.accounts", "program.events", "program.definedTypes", "program.errors"}
	}

	return sections{"instructions", "accounts", "events", "types", "errors"}
}

func uniqueNames(c *checker, section, what string, names []string, report func(string, string, ...any)) {
	uniqueValues(c, section, "name", what+" name", names, report)
}

func uniqueValues(_ *checker, section, key, what string, values []string, report func(string, string, ...any)) {
	first := make(map[string]int, len(values))
	for i, value := range values {
		if value == "" {
			continue
		}
		if j, seen := first[value]; seen {
			report(joinPath(indexPath(section, i), key), "duplicate %s %q, first used at %s", what, value, indexPath(section, j))
			continue
		}
		first[value] = i
	}
}

// integerLiteral matches a Rust integer literal: decimal with optional
// underscores, or hexadecimal.
var integerLiteral = regexp.MustCompile(`^-?(?:[0-9][0-9_]*|0x[0-9a-fA-F_]+)$`)

// warnExpression flags integer constants written as Rust expressions, such
// as "(1 << 20) as u64": the value is kept as written.
func warnExpression(c *checker, path string, con Constant) {
	if _, isInteger := integerWidths[con.Type]; !isInteger || con.Value == "" {
		return
	}
	if integerLiteral.MatchString(con.Value) {
		return
	}

	c.warn(path, "constant %s is a Rust expression, not a number literal; its value is kept as written", con.Name)
}
