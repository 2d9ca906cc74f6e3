package gqlhttp

import (
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// Multipart is gqlgen's transport for GraphQL multipart requests (file
// uploads), guarded against one malformed shape. A map that names a
// variable the operations do not carry makes gqlgen v0.17.98 panic while it
// places the file, which would otherwise be reported as an internal error.
type Multipart struct {
	transport.MultipartForm
}

var _ graphql.Transport = Multipart{}

// Do serves the request and turns a panic while reading the request into a
// 400 whose message explains the fix.
func (m Multipart) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	defer func() {
		if recover() != nil {
			writeRequestError(w, mediaJSON, http.StatusBadRequest, CodeBadRequest,
				"the multipart map does not fit the operations: each path must name a variable that the operations declare, such as variables.input.idl with \"idl\": null in the variables")
		}
	}()

	m.MultipartForm.Do(w, r, exec)
}
