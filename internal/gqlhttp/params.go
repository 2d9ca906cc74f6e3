package gqlhttp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
)

// rawRequest is a request body before its parameters' types are checked.
type rawRequest struct {
	Query         json.RawMessage `json:"query"`
	OperationName json.RawMessage `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
}

// decodeParams reads one request object and checks each parameter's type:
// query a string, operationName a string or null, variables and extensions
// objects or null.
func decodeParams(body []byte) (*graphql.RawParams, error) {
	if string(bytes.TrimSpace(body)) == "null" {
		return nil, errors.New("the request is JSON null, not an object: send {\"query\": \"...\"}")
	}

	var raw rawRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, notAnObject(err)
	}
	if dec.More() {
		return nil, errors.New("the request body has data after its JSON object: send one object")
	}

	return buildParams(raw)
}

func buildParams(raw rawRequest) (*graphql.RawParams, error) {
	params := &graphql.RawParams{}

	if err := decodeString(raw.Query, "query", &params.Query); err != nil {
		return nil, err
	}
	if err := decodeString(raw.OperationName, "operationName", &params.OperationName); err != nil {
		return nil, err
	}
	if err := decodeObject(raw.Variables, "variables", &params.Variables); err != nil {
		return nil, err
	}
	if err := decodeObject(raw.Extensions, "extensions", &params.Extensions); err != nil {
		return nil, err
	}

	// An automatic persisted query sends only the hash of a query it sent before.
	if params.Query == "" && params.Extensions["persistedQuery"] == nil {
		return nil, errors.New("the query parameter is missing: send the GraphQL document as a string")
	}

	return params, nil
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

func decodeString(raw json.RawMessage, name string, out *string) error {
	if isNull(raw) {
		return nil
	}

	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("the %s parameter must be a string, not %s", name, describe(raw))
	}

	return nil
}

func decodeObject(raw json.RawMessage, name string, out *map[string]any) error {
	if isNull(raw) {
		return nil
	}
	if raw[0] != '{' {
		return fmt.Errorf("the %s parameter must be a JSON object, not %s", name, describe(raw))
	}

	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return fmt.Errorf("the %s parameter is not a valid JSON object: %v", name, err)
	}

	return nil
}

func describe(raw json.RawMessage) string {
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	default:
		return "a number"
	}
}

// getParams reads the parameters of a GET request from its URL. variables
// and extensions are URL-encoded JSON objects.
func getParams(r *http.Request) (*graphql.RawParams, error) {
	q := r.URL.Query()
	raw := rawRequest{}

	if q.Has("query") {
		raw.Query = quote(q.Get("query"))
	}
	if name := q.Get("operationName"); name != "" {
		raw.OperationName = quote(name)
	}
	if v := q.Get("variables"); v != "" {
		raw.Variables = json.RawMessage(v)
	}
	if e := q.Get("extensions"); e != "" {
		raw.Extensions = json.RawMessage(e)
	}

	if !json.Valid(raw.Variables) && raw.Variables != nil {
		return nil, errors.New("the variables parameter is not valid JSON: URL-encode a JSON object")
	}
	if !json.Valid(raw.Extensions) && raw.Extensions != nil {
		return nil, errors.New("the extensions parameter is not valid JSON: URL-encode a JSON object")
	}

	return buildParams(raw)
}

func quote(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

// notAnObject describes why a request is not a JSON object, without the Go
// type names that encoding/json puts in its errors.
func notAnObject(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return fmt.Errorf("the request is a JSON %s, not an object: send {\"query\": \"...\"}", typeErr.Value)
	}

	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return fmt.Errorf("the request is not valid JSON near byte %d: %v", syntaxErr.Offset, syntaxErr)
	}

	return fmt.Errorf("the request is not a JSON object: %v", err)
}
