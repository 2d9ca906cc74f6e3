package gendata

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"

	"github.com/orquestra/orquestra/internal/corpus"
	"github.com/orquestra/orquestra/internal/docgen"
	"github.com/orquestra/orquestra/internal/idl"
)

// Size classes of the IDLs that versions are built from, in bytes. Most
// versions take a small IDL, so that a database of 100,000 projects stays
// near a gigabyte. A few take a medium one, so that the IDLs are not all
// alike. The large IDLs of the corpus (up to hundreds of KiB) are left out.
const (
	smallIDLBytes  = 4 << 10
	mediumIDLBytes = 16 << 10

	// mediumShare is the share of versions built from a medium IDL.
	mediumShare = 0.1
)

// idlText is one distinct IDL document with everything a version row
// stores about it.
type idlText struct {
	name   string
	json   string
	format string
	sha256 string
	// docs is the Markdown the docs generator writes for the IDL without
	// known addresses.
	docs string
}

// idlPool holds the embedded corpus IDLs that versions are built from.
type idlPool struct {
	small  []idlText
	medium []idlText
}

// newIDLPool parses the embedded corpus IDLs up to mediumIDLBytes. The
// embedded set is compiled into the binary, so the pool, and with it the
// generated data, is the same on every machine for one build.
func newIDLPool() (*idlPool, error) {
	files := corpus.Embedded()
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })

	pool := &idlPool{}
	for _, f := range files {
		if len(f.Data) > mediumIDLBytes {
			continue
		}

		program, err := idl.Parse(f.Data)
		if err != nil {
			return nil, fmt.Errorf("parse embedded IDL %s: %w", f.Name, err)
		}

		sum := sha256.Sum256(f.Data)
		text := idlText{
			name:   f.Name,
			json:   string(f.Data),
			format: string(program.Format),
			sha256: hex.EncodeToString(sum[:]),
			docs:   string(docgen.Generate(program, nil)),
		}
		if len(f.Data) <= smallIDLBytes {
			pool.small = append(pool.small, text)
		} else {
			pool.medium = append(pool.medium, text)
		}
	}

	if len(pool.small) < 2 || len(pool.medium) < 1 {
		return nil, fmt.Errorf("the embedded corpus has %d IDLs up to %d bytes and %d up to %d bytes: need at least 2 and 1",
			len(pool.small), smallIDLBytes, len(pool.medium), mediumIDLBytes)
	}

	return pool, nil
}

// pick draws an IDL other than previous, so that consecutive versions of a
// project differ, as uploads of an unchanged IDL add no version.
func (p *idlPool) pick(r *source, previous *idlText) *idlText {
	for {
		set := p.small
		if r.Float64() < mediumShare {
			set = p.medium
		}

		text := &set[r.IntN(len(set))]
		if previous == nil || text.sha256 != previous.sha256 {
			return text
		}
	}
}
