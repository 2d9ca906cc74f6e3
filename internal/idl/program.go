package idl

import "encoding/json"

// Format is the dialect an IDL is written in, detected from the JSON itself.
type Format string

// The formats the server accepts. The values are the GraphQL enum values too.
const (
	FormatAnchorLegacy Format = "ANCHOR_LEGACY"
	FormatAnchor       Format = "ANCHOR"
	FormatCodama       Format = "CODAMA"
)

// TypeKind is the shape of a user-defined type.
type TypeKind string

// The kinds of user-defined types.
const (
	KindStruct TypeKind = "STRUCT"
	KindEnum   TypeKind = "ENUM"
	KindAlias  TypeKind = "ALIAS"
)

// Problem is one finding about an IDL: the JSON path of the offending value
// (for example instructions[3].args[1].type) and what is wrong with it.
type Problem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// Program is the format-independent view of a parsed IDL.
type Program struct {
	Name         string
	Version      string
	Spec         string
	Address      string
	Format       Format
	Docs         []string
	Instructions []Instruction
	Accounts     []Account
	Types        []TypeDef
	Errors       []ErrorCode
	Events       []Event
	Constants    []Constant
	// PDAs are the PDAs the program defines by name: Codama's program.pdas.
	// Anchor IDLs have none, because their PDAs belong to instruction accounts.
	PDAs []NamedPDA
	// Warnings lists oddities that real IDLs contain and tools still read.
	Warnings []Problem
}

// Instruction is one program instruction with its arguments and accounts.
type Instruction struct {
	Name          string
	Docs          []string
	Discriminator []int
	Args          []Field
	// Accounts is flattened: nested account groups appear in order with a dotted Path.
	Accounts []InstructionAccount
	Returns  string
	// DiscriminatorComputed is set when the IDL lists no discriminator and
	// Discriminator holds Anchor's hash of the name.
	DiscriminatorComputed bool
	// Parent names the instruction a Codama sub-instruction belongs to; it
	// is empty for top-level instructions.
	Parent string
	// path is the instruction's JSON path in the IDL, which differs from
	// its index for Codama sub-instructions.
	path string
}

// Field is a named, typed value: an instruction argument, a struct field or
// a tuple element (whose Name is its index).
type Field struct {
	Name     string
	Docs     []string
	Type     string
	TypeJSON json.RawMessage
}

// InstructionAccount is one account an instruction takes.
type InstructionAccount struct {
	Name      string
	Path      string
	Writable  bool
	Signer    bool
	Optional  bool
	Address   string
	PDA       *PDA
	Relations []string
	Docs      []string
}

// PDA describes how a program-derived address is found: its seeds and, when
// it is not the program itself, the program that derives it.
type PDA struct {
	Seeds   []Seed
	Program *Seed
}

// NamedPDA is a PDA the program defines by name. Its variable seeds are
// values a caller supplies.
type NamedPDA struct {
	Name string
	Docs []string
	PDA
}

// Seed is one PDA seed. Kind is "const", "arg", "account", or "variable" in
// a NamedPDA. Value is a constant seed's value, Path the argument or account
// path an arg or account seed reads, and Name a variable seed's name.
type Seed struct {
	Kind  string
	Value string
	Path  string
	Name  string
	Type  string
	Docs  []string
}

// Account is an on-chain account type the program owns.
type Account struct {
	Name          string
	Docs          []string
	Discriminator []int
	Fields        []Field
	// DiscriminatorComputed is set when Discriminator is Anchor's hash of
	// the name rather than bytes listed in the IDL.
	DiscriminatorComputed bool
}

// TypeDef is a user-defined type.
type TypeDef struct {
	Name     string
	Kind     TypeKind
	Docs     []string
	Fields   []Field
	Variants []Variant
	Generics []Generic
	// Alias is the rendered target type when Kind is KindAlias.
	Alias string
	// Serialization is a 0.30 zero-copy encoding such as "bytemuck"; empty
	// means Borsh.
	Serialization string
	// Repr is the 0.30 memory layout, such as "c" or "rust, packed".
	Repr string
}

// Variant is one enum variant. Fields is empty for unit variants; tuple
// variants have fields named by their index.
type Variant struct {
	Name   string
	Fields []Field
}

// Generic is a type parameter: Kind is "type" or "const", Type the const's type.
type Generic struct {
	Kind string
	Name string
	Type string
}

// ErrorCode is one custom program error.
type ErrorCode struct {
	Code int
	Name string
	Msg  string
}

// Event is one event the program emits.
type Event struct {
	Name          string
	Discriminator []int
	Fields        []Field
	Docs          []string
	// DiscriminatorComputed is set when Discriminator is Anchor's hash of
	// the name rather than bytes listed in the IDL.
	DiscriminatorComputed bool
}

// Constant is a named constant. Value is kept as written in the IDL.
type Constant struct {
	Name  string
	Type  string
	Value string
}
