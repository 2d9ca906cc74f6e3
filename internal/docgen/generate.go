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
	table(&g.b, []string{"Property", "Value"}, rows)
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

	g.contentsEntry("Instructions", instructionNames(g.p.Instructions), g.instructionIDs)
	g.contentsEntry("Accounts", accountNames(g.p.Accounts), g.accountIDs)
	g.contentsEntry("Types", typeNames(g.p.Types), g.typeIDs)
	g.contentsEntry("Errors", nil, nil)
	g.contentsEntry("Events", eventNames(g.p.Events), g.eventIDs)
	g.contentsEntry("Constants", nil, nil)
	g.contentsEntry("Known addresses", nil, nil)

	g.b.WriteString("\n")
}

// contentsEntry writes a section link followed by one nested link per item.
func (g *generator) contentsEntry(section string, names, ids []string) {
	g.b.WriteString("- [" + section + "](#" + slug(section) + ")\n")
	for i, name := range names {
		g.b.WriteString("  - [" + orNone(code(name)) + "](#" + ids[i] + ")\n")
	}
}

func instructionNames(items []idl.Instruction) []string {
	names := make([]string, len(items))
	for i, item := range items {
		names[i] = item.Name
	}

	return names
}

func accountNames(items []idl.Account) []string {
	names := make([]string, len(items))
	for i, item := range items {
		names[i] = item.Name
	}

	return names
}

func typeNames(items []idl.TypeDef) []string {
	names := make([]string, len(items))
	for i, item := range items {
		names[i] = item.Name
	}

	return names
}

func eventNames(items []idl.Event) []string {
	names := make([]string, len(items))
	for i, item := range items {
		names[i] = item.Name
	}

	return names
}

func itoa(i int) string {
	return strconv.Itoa(i)
}
