package idl

// pdaValue resolves a pdaValueNode: its pda is a pdaLinkNode naming one of
// the program's pdas or an inline pdaNode, and its seeds give values for
// the PDA's variable seeds.
func (p *codamaParser) pdaValue(def, instruction view) *PDA {
	pdaNode, ok := p.linkedPDA(def)
	if !ok {
		return nil
	}

	values := map[string]view{}
	p.eachNode(def, "seeds", "pdaSeedValueNode", false, func(s view) {
		if value, ok := s.child("value", true); ok {
			values[s.str("name", true)] = value
		}
	})

	pda := &PDA{Seeds: []Seed{}}
	for i, item := range pdaNode.list("seeds", true) {
		path := indexPath(pdaNode.at("seeds"), i)
		if s, ok := p.c.objectAt(item, path, "a PDA seed node"); ok {
			pda.Seeds = append(pda.Seeds, p.seed(s, values, instruction))
		}
	}

	if program := pdaNode.str("programId", false); program != "" {
		pda.Program = &Seed{Kind: "const", Value: program, Type: "pubkey"}
	}

	return pda
}

func (p *codamaParser) linkedPDA(def view) (view, bool) {
	target, ok := def.child("pda", true)
	if !ok {
		return view{}, false
	}

	switch kind := target.str("kind", true); kind {
	case "pdaNode":
		return target, true
	case "pdaLinkNode":
		name := target.str("name", true)
		pda, found := p.pdas[name]
		// NOTE: an undeclared PDA is a warning, not a problem, because
		// mpl-token-metadata's published tree links "associatedToken"
		// without declaring it.
		if !found && name != "" {
			p.c.warn(target.at("name"), "PDA %q is not declared in program.pdas or additionalPrograms; its seeds are not shown", name)
		}
		return pda, found
	case "":
	default:
		p.c.fail(target.at("kind"), "expected a pdaLinkNode or pdaNode here, got %q", kind)
	}

	return view{}, false
}

// seed turns a Codama seed node into a Seed. A variable seed takes its
// source from the instruction's pdaSeedValueNode when given, else from the
// same-named argument or account, which is how Codama clients fill it.
func (p *codamaParser) seed(s view, values map[string]view, instruction view) Seed {
	switch kind := s.str("kind", true); kind {
	case "constantPdaSeedNode":
		return Seed{Kind: "const", Type: p.renderSeedType(s, "type"), Value: p.valueText(s.raw("value"), s.at("value"))}
	case "programIdPdaSeedNode":
		return Seed{Kind: "const", Type: "pubkey", Value: p.address}
	case "variablePdaSeedNode":
		name := s.str("name", true)
		seed := Seed{Type: p.renderSeedType(s, "type")}
		seed.Kind, seed.Path, seed.Value = p.seedSource(name, values, instruction)
		return seed
	case "":
	default:
		p.c.fail(s.at("kind"), "unknown PDA seed kind %q: expected constantPdaSeedNode, variablePdaSeedNode or programIdPdaSeedNode", kind)
	}

	return Seed{}
}

func (p *codamaParser) seedSource(name string, values map[string]view, instruction view) (kind, path, value string) {
	if v, ok := values[name]; ok {
		switch v.str("kind", false) {
		case "argumentValueNode":
			return "arg", v.str("name", true), ""
		case "accountValueNode":
			return "account", v.str("name", true), ""
		default:
			return "const", "", p.valueText(v.obj, v.path)
		}
	}

	if namedNode(instruction, "accounts", name) {
		return "account", name, ""
	}

	return "arg", name, ""
}

func namedNode(v view, key, name string) bool {
	for _, item := range v.list(key, false) {
		if obj, ok := item.(object); ok {
			if n, _ := obj.get("name"); n == name {
				return true
			}
		}
	}

	return false
}

// renderSeedType renders a seed's type node.
//
// NOTE: an undeclared type in a PDA seed is only a warning. The published
// mpl-token-metadata tree types a seed with "metadataDelegateRoleSeed" but
// never declares it. The type only labels the seed, so instruction data
// is still read correctly.
func (p *codamaParser) renderSeedType(v view, key string) string {
	if !v.has(key) {
		return ""
	}

	first := len(p.refs)
	rendered := p.render(v.raw(key), v.at(key), 0)
	for i := first; i < len(p.refs); i++ {
		p.refs[i].lenient = true
	}

	return rendered
}

// programPDAs reads the program's own pdas. Their variable seeds stay
// variables, since no instruction gives them values.
func (p *codamaParser) programPDAs(program view) []NamedPDA {
	pdas := []NamedPDA{}
	p.eachNode(program, "pdas", "pdaNode", false, func(v view) {
		pda := NamedPDA{Name: v.str("name", true), Docs: v.docs("docs"), PDA: PDA{Seeds: []Seed{}}}
		for i, item := range v.list("seeds", true) {
			path := indexPath(v.at("seeds"), i)
			if s, ok := p.c.objectAt(item, path, "a PDA seed node"); ok {
				pda.Seeds = append(pda.Seeds, p.definitionSeed(s))
			}
		}

		if programID := v.str("programId", false); programID != "" {
			pda.Program = &Seed{Kind: "const", Value: programID, Type: "pubkey"}
		}
		pdas = append(pdas, pda)
	})

	return pdas
}

// definitionSeed reads a seed of a PDA definition: a variable seed keeps
// its name, type and docs, and constant seeds read as in instructions.
func (p *codamaParser) definitionSeed(s view) Seed {
	if s.str("kind", true) != "variablePdaSeedNode" {
		return p.seed(s, nil, view{})
	}

	return Seed{Kind: "variable", Name: s.str("name", true), Type: p.renderSeedType(s, "type"), Docs: s.docs("docs")}
}
