package e2e

import (
	"io"
	"net/http"
	"strings"
)

func copyBody(dst *strings.Builder, res *http.Response) (int64, error) {
	return io.Copy(dst, res.Body)
}
