package graphiql

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// contentSecurityPolicy lets the page load only what Handler serves and talk
// only to its own origin. GraphiQL 3.9 renders without 'unsafe-inline' in
// style-src, because React and CodeMirror set styles through the CSSOM, which
// style-src does not restrict.
//
// NOTE: opening a GraphiQL dialog (settings, shortcuts) makes the bundled
// react-remove-scroll add a <style> element, which this policy blocks with a
// console error. The dialog still works (checked in Chromium 156). Only the
// page's scroll lock is lost, and the GraphiQL page does not scroll anyway.
const contentSecurityPolicy = "default-src 'none'; " +
	"script-src 'self'; " +
	"style-src 'self'; " +
	"connect-src 'self'; " +
	"img-src 'self' data:; " +
	"font-src 'self' data:; " +
	"base-uri 'none'; " +
	"form-action 'none'; " +
	"frame-ancestors 'none'"

// assetCacheControl allows caching for a year, which is safe because an
// asset's URL changes whenever its content does.
const assetCacheControl = "public, max-age=31536000, immutable"

// site contains everything Handler serves. It is built once per process.
type site struct {
	assets assetSet
	page   page
}

var loadSite = sync.OnceValues(func() (*site, error) {
	assets, err := loadAssets()
	if err != nil {
		return nil, err
	}
	rendered, err := renderPage(assets)
	if err != nil {
		return nil, err
	}
	return &site{assets: assets, page: rendered}, nil
})

// Handler returns a handler that serves the GraphiQL page at "/" and its
// assets under AssetPrefix. Every response, including 404 and 405, carries a
// strict Content-Security-Policy, Referrer-Policy: no-referrer and
// X-Content-Type-Options: nosniff. Other paths get 404.
//
// Handler panics if the embedded page or assets are broken, which the
// package tests rule out.
func Handler() http.Handler {
	s, err := loadSite()
	if err != nil {
		panic(fmt.Sprintf("graphiql: %v", err))
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.servePage)
	mux.HandleFunc("GET "+AssetPrefix+"{name}", s.serveAsset)
	return withSecurityHeaders(mux)
}

func withSecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := w.Header()
		header.Set("Content-Security-Policy", contentSecurityPolicy)
		header.Set("Referrer-Policy", "no-referrer")
		header.Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

// servePage sends index.html. Cache-Control: no-cache makes browsers
// revalidate it by ETag, so they pick up new asset URLs right after a deploy.
func (s *site) servePage(w http.ResponseWriter, r *http.Request) {
	header := w.Header()
	header.Set("Content-Type", "text/html; charset=utf-8")
	header.Set("Cache-Control", "no-cache")
	header.Set("ETag", s.page.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(s.page.body))
}

// serveAsset sends the asset named by its hashed file name. A stale or
// unknown hash gets 404, so an immutable cache entry never holds wrong content.
func (s *site) serveAsset(w http.ResponseWriter, r *http.Request) {
	found, ok := s.assets.byHashedName[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}

	header := w.Header()
	header.Set("Content-Type", found.contentType)
	header.Set("Cache-Control", assetCacheControl)
	header.Set("ETag", found.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(found.body))
}
