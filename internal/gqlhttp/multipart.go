package gqlhttp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// Multipart is gqlgen's transport for GraphQL multipart requests (file
// uploads), with the errors of a malformed request put in the same shape
// as every other request error: a status of 400 or 413, an
// extensions.code, and a message with the fix.
//
// It also guards against one malformed shape: a map that names a variable
// the operations do not carry makes gqlgen v0.17.98 panic while it places
// the file, which would otherwise be reported as an internal error.
type Multipart struct {
	transport.MultipartForm
}

var _ graphql.Transport = Multipart{}

// multipartHint is the layout a multipart request must have.
const multipartHint = "send multipart/form-data whose first field is operations (the JSON request), then map (each file field to a variable path such as variables.input.idl), then the files"

// Do serves the request and rewrites gqlgen's errors about reading it.
func (m Multipart) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	defer func() {
		if recover() != nil {
			writeRequestError(w, mediaJSON, http.StatusBadRequest, CodeBadRequest,
				"the multipart map does not fit the operations: each path must name a variable that the operations declare, such as variables.input.idl with \"idl\": null in the variables")
		}
	}()

	buffered := &bufferedWriter{ResponseWriter: w, status: http.StatusOK}
	m.MultipartForm.Do(buffered, r, exec)
	buffered.flush(m.maxUploadSize())
}

func (m Multipart) maxUploadSize() int64 {
	if m.MaxUploadSize == 0 {
		return 32 << 20
	}
	return m.MaxUploadSize
}

// bufferedWriter keeps a multipart response until the transport is done,
// so that flush can rewrite it. Multipart responses are small: the result
// of an upload, not a file.
type bufferedWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) WriteHeader(status int) { b.status = status }

func (b *bufferedWriter) Write(p []byte) (int, error) { return b.body.Write(p) }

// flush writes the response. gqlgen reports a request it could not read
// with errors that carry no code, while the error presenter gives every
// execution error one, so a response whose errors lack a code is rewritten.
func (b *bufferedWriter) flush(maxUpload int64) {
	var res graphql.Response
	if json.Unmarshal(b.body.Bytes(), &res) == nil && len(res.Errors) > 0 && !anyCoded(res) {
		message := res.Errors[0].Message
		if b.status == http.StatusRequestEntityTooLarge || strings.Contains(message, "too large") {
			writeRequestError(b.ResponseWriter, mediaJSON, http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE",
				fmt.Sprintf("%s: the limit is %d bytes, so send a smaller IDL or Markdown", message, maxUpload))
			return
		}
		writeRequestError(b.ResponseWriter, mediaJSON, http.StatusBadRequest, CodeBadRequest, explainMultipart(message))
		return
	}

	b.ResponseWriter.WriteHeader(b.status)
	_, _ = b.ResponseWriter.Write(b.body.Bytes())
}

func anyCoded(res graphql.Response) bool {
	for _, e := range res.Errors {
		if _, ok := e.Extensions["code"]; ok {
			return true
		}
	}
	return false
}

// explainMultipart rewrites gqlgen's reasons for rejecting a multipart
// form into what is wrong and how to fix it. Reasons it does not know keep
// gqlgen's words, followed by the layout the request must have.
func explainMultipart(reason string) string {
	key := func(prefix string) string {
		return strings.TrimSpace(strings.TrimPrefix(reason, prefix))
	}

	switch {
	case strings.HasPrefix(reason, "failed to get key "):
		field := strings.TrimSuffix(key("failed to get key "), " from form")
		return fmt.Sprintf("map names the file field %q, but the request has no part of that name: send each mapped file as a part named as in map", field)
	case strings.HasPrefix(reason, "invalid empty operations paths list for key "):
		return fmt.Sprintf("map lists no variable path for the file field %q: give it one, such as [\"variables.input.idl\"]", key("invalid empty operations paths list for key "))
	case strings.Contains(reason, "is missing \"variables.\" prefix"):
		return "a map path does not name a variable the operations declare: give paths such as variables.input.idl, with \"idl\": null in the variables"
	case reason == "operations form field could not be decoded":
		return "operations is not a JSON object: send one operation as {\"query\": ..., \"variables\": ...}, because batches are not accepted in multipart requests"
	default:
		return reason + ": " + multipartHint
	}
}
