package idl

func (p *codamaParser) instructions(program view) []Instruction {
	instructions := []Instruction{}
	p.eachNode(program, "instructions", "instructionNode", true, func(v view) {
		instructions = p.appendInstruction(instructions, v, "")
	})

	return instructions
}

// appendInstruction adds an instruction and, after it, its
// subInstructions, which Codama uses for versioned variants such as
// mpl-token-metadata's createV1 under create.
func (p *codamaParser) appendInstruction(out []Instruction, v view, parent string) []Instruction {
	ins := Instruction{Name: v.str("name", true), Docs: v.docs("docs"), Parent: parent, path: v.path}

	p.eachNode(v, "arguments", "instructionArgumentNode", true, func(arg view) {
		ins.Args = append(ins.Args, p.field(arg))
	})

	p.eachNode(v, "accounts", "instructionAccountNode", true, func(acc view) {
		ins.Accounts = append(ins.Accounts, p.instructionAccount(acc, v))
	})

	ins.Discriminator = p.instructionDiscriminator(v)
	out = append(out, ins)

	p.eachNode(v, "subInstructions", "instructionNode", false, func(sub view) {
		out = p.appendInstruction(out, sub, ins.Name)
	})

	return out
}

// instructionAccount reads an instructionAccountNode. Codama's isSigner
// "either" (the account may or may not sign) counts as a signer.
func (p *codamaParser) instructionAccount(v, instruction view) InstructionAccount {
	name := v.str("name", true)
	acc := InstructionAccount{
		Name:     name,
		Path:     name,
		Writable: v.boolean("isWritable"),
		Optional: v.boolean("isOptional"),
		Docs:     v.docs("docs"),
	}

	switch signer := v.raw("isSigner").(type) {
	case bool:
		acc.Signer = signer
	case string:
		if signer != "either" {
			p.c.fail(v.at("isSigner"), "isSigner must be true, false or \"either\", got %q", signer)
		}
		acc.Signer = signer == "either"
	case nil:
	default:
		p.c.fail(v.at("isSigner"), "isSigner must be true, false or \"either\", got %s", describe(signer))
	}

	p.accountDefault(v, instruction, &acc)
	return acc
}

// accountDefault reads a fixed address (publicKeyValueNode) or a PDA
// (pdaValueNode) from the account's default value. Other defaults, such
// as the payer or a resolver, are left to clients.
func (p *codamaParser) accountDefault(v, instruction view, acc *InstructionAccount) {
	def, ok := v.child("defaultValue", false)
	if !ok {
		return
	}

	switch def.str("kind", true) {
	case "publicKeyValueNode":
		acc.Address = def.str("publicKey", true)
	case "programIdValueNode":
		acc.Address = p.address
	case "pdaValueNode":
		acc.PDA = p.pdaValue(def, instruction)
	}
}
