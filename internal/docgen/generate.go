package docgen

import (
	"strconv"
	"strings"

	"github.com/orquestra/orquestra/internal/idl"
)

// Address is a known address of a project, such as a mainnet pool or the
// program's config account, listed at the end of the docs.
type Address struct {
	Label       string
	Address     string
	Description string
}

// Generate writes the Markdown documentation of a program: an overview,
// a table of contents, every instruction with its accounts and arguments,
// then accounts, types, errors, events, constants and known addresses.
func Generate(p *idl.Program, addresses []Address) []byte {
	g := &generator{p: p, ids: anchors{}}
	g.assignIDs()

	g.overview()
	g.contents()
	g.instructions()
	g.accounts()
	g.types()
	g.errors()
	g.events()
	g.constants()
	g.addresses(addresses)

	return []byte(g.b.String())
}

type generator struct {
	p   *idl.Program
	b   strings.Builder
	ids anchors
	// Anchor ids per item, assigned once so the contents and the sections
	// agree even for duplicate names.
	instructionIDs, accountIDs, typeIDs, eventIDs []string
}

func (g *generator) assignIDs() {
	for _, ins := range g.p.Instructions {
		g.instructionIDs = append(g.instructionIDs, g.ids.id("instruction", ins.Name))
	}
	for _, acc := range g.p.Accounts {
		g.accountIDs = append(g.accountIDs, g.ids.id("account", acc.Name))
	}
	for _, td := range g.p.Types {
		g.typeIDs = append(g.typeIDs, g.ids.id("type", td.Name))
	}
	for _, ev := range g.p.Events {
		g.eventIDs = append(g.eventIDs, g.ids.id("event", ev.Name))
	}
}

func (g *generator) overview() {
	p := g.p
	name := p.Name
	if name == "" {
		name = "Unnamed program"
	}

	g.b.WriteString("# " + cell(name) + "\n\n")
	paragraphs(&g.b, p.Docs)

	rows := [][]string{
		{"Program ID", orNone(code(p.Address))},
		{"Version", orNone(cell(p.Version))},
		{"IDL spec", orNone(cell(p.Spec))},
		{"Format", formatName(p.Format)},
		{"Instructions", itoa(len(p.Instructions))},
		{"Accounts", itoa(len(p.Accounts))},
		{"Types", itoa(len(p.Types))},
		{"Errors", itoa(len(p.Errors))},
		{"Events", itoa(len(p.Events))},
		{"Constants", itoa(len(p.Constants))},
	}
	table(&g.b, []string{"Overview", ""}, rows)
}

func formatName(f idl.Format) string {
	switch f {
	case idl.FormatAnchorLegacy:
		return "Anchor (before 0.30)"
	case idl.FormatAnchor:
		return "Anchor (0.30 or later)"
	case idl.FormatCodama:
		return "Codama"
	}

	return string(f)
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}

	return s
}

func (g *generator) contents() {
	g.b.WriteString("## Contents\n\n")
	g.b.WriteString("- [Instructions](#instructions)\n")
	for i, ins := range g.p.Instructions {
		g.b.WriteString("  - [" + cell(ins.Name) + "](#" + g.instructionIDs[i] + ")\n")
	}

	for _, section := range []string{"Accounts", "Types", "Errors", "Events", "Constants", "Known addresses"} {
		g.b.WriteString("- [" + section + "](#" + slug(section) + ")\n")
	}
	g.b.WriteString("\n")
}

func itoa(i int) string {
	return strconv.Itoa(i)
}
