package graphiql

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// AssetPrefix is the URL path under which Handler serves the scripts and
// style sheets of the page. Each file name there carries a content hash.
const AssetPrefix = "/graphiql/"

// assetFiles contains the vendored GraphiQL and React builds plus our own
// init.js and page.css. Licences and SOURCES.md stay out of the binary.
//
//go:embed assets/*.js assets/*.css init.js page.css
var assetFiles embed.FS

// contentTypes maps each extension in assetFiles to its Content-Type.
// A fixed table keeps the header independent of the host's MIME database.
var contentTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
}

// hashLength is the number of hex digits of the SHA-256 put in asset URLs.
const hashLength = 12

// asset is one embedded file with the headers it is served with.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// assetSet contains every embedded asset, indexed both ways: by the hashed
// name that appears in URLs and by the plain file name the template uses.
type assetSet struct {
	byHashedName map[string]asset
	urlByName    map[string]string
}

// loadAssets reads every file in assetFiles and derives its hashed URL.
func loadAssets() (assetSet, error) {
	set := assetSet{
		byHashedName: map[string]asset{},
		urlByName:    map[string]string{},
	}

	err := fs.WalkDir(assetFiles, ".", func(filePath string, entry fs.DirEntry, err error) error {
		if err != nil || entry.IsDir() {
			return err
		}
		return set.add(filePath)
	})
	if err != nil {
		return assetSet{}, fmt.Errorf("load embedded GraphiQL assets: %w", err)
	}
	return set, nil
}

// add reads the embedded file at filePath and indexes it under its base name.
func (set assetSet) add(filePath string) error {
	name := path.Base(filePath)
	if _, ok := set.urlByName[name]; ok {
		return fmt.Errorf("embedded file name %q occurs twice, so rename one of them, because URLs use only the base name", name)
	}

	contentType, ok := contentTypes[path.Ext(name)]
	if !ok {
		return fmt.Errorf("embedded file %s has no known Content-Type, so add its extension to contentTypes", filePath)
	}

	body, err := assetFiles.ReadFile(filePath)
	if err != nil {
		return err
	}

	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])[:hashLength]
	hashedName := hashName(name, hash)

	set.byHashedName[hashedName] = asset{
		body:        body,
		contentType: contentType,
		etag:        `"` + hash + `"`,
	}
	set.urlByName[name] = AssetPrefix + hashedName
	return nil
}

// hashName inserts hash before the extension: "init.js" becomes
// "init.<hash>.js".
func hashName(name, hash string) string {
	extension := path.Ext(name)
	return strings.TrimSuffix(name, extension) + "." + hash + extension
}

// url returns the hashed URL path of the asset with the given file name.
func (set assetSet) url(name string) (string, error) {
	url, ok := set.urlByName[name]
	if !ok {
		return "", fmt.Errorf("asset %q not found among the embedded files, so add it to assetFiles or fix the name in index.html", name)
	}
	return url, nil
}
