// Package corpus gives tests and the demo loader access to real public IDLs.
//
// Two sets exist. The embedded set (testdata/idls) contains the IDLs whose
// licences (Apache-2.0, MIT, ISC) allow redistribution, and
// testdata/idls/SOURCES.tsv names their sources and licences. It ships in
// the binary, so it always exists. The shared set is the whole corpus kept beside the
// repository in ../shared/corpus/idls; it exists in CI and on development
// machines only, and tests over it skip when it is absent.
package corpus

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

//go:embed testdata/idls/*.json testdata/idls/SOURCES.tsv
var embedded embed.FS

// File is one IDL document from a corpus.
type File struct {
	Name string
	Data []byte
}

// Embedded returns the redistributable IDLs compiled into the binary, sorted by name.
func Embedded() []File {
	entries, err := fs.Glob(embedded, "testdata/idls/*.json")
	if err != nil {
		panic(err) // fs.Glob fails only for a malformed pattern, and this one is a constant
	}

	files := make([]File, 0, len(entries))
	for _, path := range entries {
		data, err := embedded.ReadFile(path)
		if err != nil {
			panic(err) // embedded files are always readable
		}
		files = append(files, File{Name: filepath.Base(path), Data: data})
	}

	return files
}

// EmbeddedFile returns one embedded IDL by its file name.
func EmbeddedFile(name string) ([]byte, error) {
	return embedded.ReadFile("testdata/idls/" + name)
}

// SharedDir finds the shared corpus folder by walking up from the working
// directory, or takes it from ORQUESTRA_CORPUS. It reports false when
// neither exists.
func SharedDir() (string, bool) {
	if dir := os.Getenv("ORQUESTRA_CORPUS"); dir != "" {
		return dir, isDir(dir)
	}

	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}

	for {
		candidate := filepath.Join(dir, "shared", "corpus", "idls")
		if isDir(candidate) {
			return candidate, true
		}

		sibling := filepath.Join(dir, "..", "shared", "corpus", "idls")
		if isDir(sibling) {
			return filepath.Clean(sibling), true
		}

		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// Shared reads every IDL of the shared corpus, sorted by name. It reports
// false when the shared corpus is not present on this machine.
func Shared() ([]File, bool, error) {
	dir, ok := SharedDir()
	if !ok {
		return nil, false, nil
	}

	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, true, err
	}
	sort.Strings(paths)

	files := make([]File, 0, len(paths))
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, true, err
		}
		files = append(files, File{Name: filepath.Base(path), Data: data})
	}

	return files, true, nil
}

// Format returns the format a corpus file name announces by its prefix:
// "anchor-legacy", "anchor-v030" or "codama".
func Format(name string) string {
	for _, prefix := range []string{"anchor-legacy", "anchor-v030", "codama"} {
		if strings.HasPrefix(name, prefix) {
			return prefix
		}
	}

	return ""
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}
