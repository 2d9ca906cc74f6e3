// Package idl validates and parses Solana program IDLs into one
// format-independent view, Program.
//
// Detect recognizes three formats from the JSON itself. ANCHOR_LEGACY is
// Anchor before 0.30, which also covers Shank output and hand-written IDLs
// of native programs. ANCHOR is Anchor 0.30 and later (IDL spec 0.1.0).
// CODAMA is a Codama root node.
//
// Parse checks the whole document and returns an *InvalidError listing
// every problem with its JSON path, such as instructions[3].args[1].type.
// Oddities that real programs publish and tools still read (an undeclared
// type in a hand-written legacy IDL, a duplicate type definition, a
// constant written as a Rust expression) become Program.Warnings instead.
//
// Input rules: a leading UTF-8 byte order mark is ignored, as RFC 8259
// allows, although the upload service rejects one before parsing. Duplicate
// object keys, data after the JSON value and nesting deeper than 128 levels
// are rejected.
//
// Types are rendered the way Anchor users read them: u64, pubkey,
// Option<T>, COption<T>, Vec<T>, [T; N], Foo<A, 4>, HashMap<K, V>, (A, B).
//
// Discriminators come from the IDL where it lists them. For legacy Anchor
// IDLs without them they are computed as Anchor does (see
// InstructionDiscriminator), except for native programs whose instructions
// carry a Shank "discriminant", which get no guessed bytes.
package idl
