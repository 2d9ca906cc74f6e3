package docgen

import (
	"strconv"
	"strings"

	"github.com/orquestra/orquestra/internal/idl"
)

func (g *generator) section(title string, empty bool, none string) bool {
	g.b.WriteString(`<a id="` + slug(title) + `"></a>` + "\n\n## " + title + "\n\n")
	if empty {
		g.b.WriteString(none + "\n\n")
	}

	return !empty
}

func (g *generator) heading(id, name string) {
	g.b.WriteString(`<a id="` + id + `"></a>` + "\n\n### " + orNone(code(name)) + "\n\n")
}

func (g *generator) instructions() {
	if !g.section("Instructions", len(g.p.Instructions) == 0, "The program has no instructions.") {
		return
	}

	for i, ins := range g.p.Instructions {
		g.heading(g.instructionIDs[i], ins.Name)
		if ins.Parent != "" {
			g.b.WriteString("Sub-instruction of " + code(ins.Parent) + ".\n\n")
		}
		paragraphs(&g.b, ins.Docs)
		g.discriminator(ins.Discriminator, ins.DiscriminatorComputed)
		g.instructionAccounts(ins.Accounts)
		g.fieldTable("Arguments", ins.Args, "No arguments.")

		if ins.Returns != "" {
			g.b.WriteString("Returns " + code(ins.Returns) + ".\n\n")
		}
	}
}

func (g *generator) discriminator(bytes []int, computed bool) {
	if len(bytes) == 0 {
		g.b.WriteString("Discriminator: none listed.\n\n")
		return
	}

	g.b.WriteString("Discriminator: " + code(byteList(bytes)))
	if computed {
		g.b.WriteString(" (computed from the name, as Anchor does)")
	}
	g.b.WriteString("\n\n")
}

func byteList(bytes []int) string {
	parts := make([]string, len(bytes))
	for i, b := range bytes {
		parts[i] = strconv.Itoa(b)
	}

	return "[" + strings.Join(parts, ", ") + "]"
}

func (g *generator) instructionAccounts(accounts []idl.InstructionAccount) {
	g.b.WriteString("#### Accounts\n\n")
	if len(accounts) == 0 {
		g.b.WriteString("No accounts.\n\n")
		return
	}

	rows := make([][]string, len(accounts))
	for i, acc := range accounts {
		rows[i] = []string{
			code(acc.Path), yesNo(acc.Writable), yesNo(acc.Signer), yesNo(acc.Optional),
			orNone(code(acc.Address)), orNone(pdaCell(acc.PDA)), docsCell(acc.Docs),
		}
	}
	table(&g.b, []string{"Path", "Writable", "Signer", "Optional", "Address", "PDA seeds", "Docs"}, rows)
}

// pdaCell lists the seeds as kind:value, such as const:vault, arg:amount
// or account:pool.mint, followed by the deriving program when it is not
// the program itself.
func pdaCell(pda *idl.PDA) string {
	if pda == nil {
		return ""
	}

	parts := make([]string, 0, len(pda.Seeds)+1)
	for _, seed := range pda.Seeds {
		parts = append(parts, code(seedText(seed)))
	}
	if pda.Program != nil {
		parts = append(parts, "program "+code(seedText(*pda.Program)))
	}

	return strings.Join(parts, ", ")
}

func seedText(seed idl.Seed) string {
	if seed.Kind == "const" {
		return "const:" + seed.Value
	}

	return seed.Kind + ":" + seed.Path
}

func (g *generator) fieldTable(title string, fields []idl.Field, none string) {
	if title != "" {
		g.b.WriteString("#### " + title + "\n\n")
	}
	if len(fields) == 0 {
		g.b.WriteString(none + "\n\n")
		return
	}

	rows := make([][]string, len(fields))
	for i, f := range fields {
		rows[i] = []string{code(f.Name), code(f.Type), docsCell(f.Docs)}
	}
	table(&g.b, []string{"Name", "Type", "Docs"}, rows)
}

func (g *generator) accounts() {
	if !g.section("Accounts", len(g.p.Accounts) == 0, "The program declares no accounts.") {
		return
	}

	for i, acc := range g.p.Accounts {
		g.heading(g.accountIDs[i], acc.Name)
		paragraphs(&g.b, acc.Docs)
		g.discriminator(acc.Discriminator, acc.DiscriminatorComputed)
		g.fieldTable("", acc.Fields, "No fields.")
	}
}

func (g *generator) types() {
	if !g.section("Types", len(g.p.Types) == 0, "The program declares no types.") {
		return
	}

	for i, td := range g.p.Types {
		g.heading(g.typeIDs[i], td.Name)
		paragraphs(&g.b, td.Docs)
		g.b.WriteString("Kind: " + strings.ToLower(string(td.Kind)) + g.typeNotes(td) + ".\n\n")

		switch td.Kind {
		case idl.KindAlias:
			g.b.WriteString("Alias of " + code(td.Alias) + ".\n\n")
		case idl.KindEnum:
			g.variants(td.Variants)
		default:
			g.fieldTable("", td.Fields, "No fields.")
		}
	}
}

func (g *generator) typeNotes(td idl.TypeDef) string {
	var notes []string
	if len(td.Generics) > 0 {
		names := make([]string, len(td.Generics))
		for i, gen := range td.Generics {
			names[i] = gen.Name
			if gen.Kind == "const" {
				names[i] = "const " + gen.Name + ": " + gen.Type
			}
		}
		notes = append(notes, "generics "+code("<"+strings.Join(names, ", ")+">"))
	}
	if td.Serialization != "" {
		notes = append(notes, "serialization "+code(td.Serialization))
	}
	if td.Repr != "" {
		notes = append(notes, "repr "+code(td.Repr))
	}

	if len(notes) == 0 {
		return ""
	}
	return ", " + strings.Join(notes, ", ")
}

func (g *generator) variants(variants []idl.Variant) {
	if len(variants) == 0 {
		g.b.WriteString("No variants.\n\n")
		return
	}

	rows := make([][]string, len(variants))
	for i, v := range variants {
		fields := make([]string, len(v.Fields))
		for j, f := range v.Fields {
			fields[j] = code(f.Name + ": " + f.Type)
		}
		rows[i] = []string{itoa(i), code(v.Name), orNone(strings.Join(fields, ", "))}
	}
	table(&g.b, []string{"Index", "Variant", "Fields"}, rows)
}

func (g *generator) errors() {
	if !g.section("Errors", len(g.p.Errors) == 0, "The program declares no errors.") {
		return
	}

	rows := make([][]string, len(g.p.Errors))
	for i, e := range g.p.Errors {
		rows[i] = []string{itoa(e.Code), code(e.Name), orNone(cell(e.Msg))}
	}
	table(&g.b, []string{"Code", "Name", "Message"}, rows)
}

func (g *generator) events() {
	if !g.section("Events", len(g.p.Events) == 0, "The program declares no events.") {
		return
	}

	for i, ev := range g.p.Events {
		g.heading(g.eventIDs[i], ev.Name)
		paragraphs(&g.b, ev.Docs)
		g.discriminator(ev.Discriminator, ev.DiscriminatorComputed)
		g.fieldTable("", ev.Fields, "No fields.")
	}
}

func (g *generator) constants() {
	if !g.section("Constants", len(g.p.Constants) == 0, "The program declares no constants.") {
		return
	}

	rows := make([][]string, len(g.p.Constants))
	for i, c := range g.p.Constants {
		rows[i] = []string{code(c.Name), code(c.Type), code(c.Value)}
	}
	table(&g.b, []string{"Name", "Type", "Value"}, rows)
}

func (g *generator) addresses(addresses []Address) {
	if !g.section("Known addresses", len(addresses) == 0, "No known addresses are recorded for this project.") {
		return
	}

	rows := make([][]string, len(addresses))
	for i, a := range addresses {
		rows[i] = []string{cell(a.Label), code(a.Address), orNone(cell(a.Description))}
	}
	table(&g.b, []string{"Label", "Address", "Description"}, rows)
}
