// Package gqlhttp is a gqlgen transport that follows the GraphQL over HTTP
// specification for GET and JSON POST requests. It negotiates
// application/graphql-response+json, returns the specified status codes for
// malformed requests, rejects mutations over GET, and runs batches of
// operations up to a limit.
//
// gqlgen's own GET and POST transports return parse and validation errors
// with 422 whatever the client accepts, which the specification does not
// allow for application/graphql-response+json.
package gqlhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/orquestra/orquestra/internal/request"
)

// Media types of GraphQL responses.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// Error codes of requests that never reach GraphQL.
const (
	CodeBadRequest     = "BAD_USER_INPUT"
	CodeBatchTooLarge  = "BATCH_TOO_LARGE"
	CodeNotAcceptable  = "NOT_ACCEPTABLE"
	CodeMethodNotAllow = "METHOD_NOT_ALLOWED"
	CodeTimeout        = "REQUEST_TIMEOUT"
)

// Transport serves GET and JSON POST requests. gqlgen's MultipartForm
// handles multipart/form-data POSTs. Every other POST comes here, so that a
// wrong content type gets a clear 415.
type Transport struct {
	// MaxBatch is the most operations one POST may carry as a JSON array;
	// 0 or 1 turns batching off.
	MaxBatch int
	// MaxBatchComplexity caps the summed cost of a batch's operations, so
	// that a batch costs no more than one operation may; 0 turns it off.
	MaxBatchComplexity int
}

var _ graphql.Transport = Transport{}

// Supports accepts every request but multipart uploads, WebSocket
// upgrades and CORS preflights, which other transports serve.
func (t Transport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}

	switch r.Method {
	case http.MethodPost:
		mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		return mediaType != "multipart/form-data"
	case http.MethodOptions:
		return false
	default:
		// GET, and every other method, which Do rejects with 405.
		return true
	}
}

// Do runs one request.
func (t Transport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	media, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		writeRequestError(w, mediaJSON, http.StatusNotAcceptable, CodeNotAcceptable,
			"the Accept header allows neither application/graphql-response+json nor application/json: accept one of them")
		return
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")

	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		writeRequestError(w, media, http.StatusMethodNotAllowed, CodeMethodNotAllow,
			fmt.Sprintf("%s is not accepted: send queries with GET or POST, and mutations with POST", r.Method))
		return
	}

	if r.Method == http.MethodGet {
		params, err := getParams(r)
		if err != nil {
			writeRequestError(w, media, http.StatusBadRequest, CodeBadRequest, err.Error())
			return
		}
		t.single(w, r, exec, media, params)
		return
	}

	t.post(w, r, exec, media)
}

func (t Transport) post(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, media string) {
	if status, err := checkContentType(r.Header.Get("Content-Type")); err != nil {
		writeRequestError(w, media, status, CodeBadRequest, err.Error())
		return
	}

	body, err := io.ReadAll(r.Body)
	if err != nil {
		status, code, message := readFailure(err)
		writeRequestError(w, media, status, code, message)
		return
	}

	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		writeRequestError(w, media, http.StatusBadRequest, CodeBadRequest, "the request body is empty: send a JSON object with a query")
		return
	}

	if body[0] == '[' {
		t.batch(w, r, exec, media, body)
		return
	}

	params, err := decodeParams(body)
	if err != nil {
		writeRequestError(w, media, http.StatusBadRequest, CodeBadRequest, err.Error())
		return
	}
	t.single(w, r, exec, media, params)
}

// single runs one operation and writes its response.
func (t Transport) single(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, media string, params *graphql.RawParams) {
	status, response := run(r.Context(), r, exec, media, params)
	if status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", http.MethodPost)
	}

	w.WriteHeader(status)
	writeJSON(w, response)
}

// run executes one operation and returns its status and response.
func run(ctx context.Context, r *http.Request, exec graphql.GraphExecutor, media string, params *graphql.RawParams) (int, *graphql.Response) {
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: graphql.Now(), End: graphql.Now()}

	op, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		return requestErrorStatus(media), exec.DispatchError(graphql.WithOperationContext(ctx, op), errs)
	}

	return dispatch(ctx, r, exec, op)
}

// dispatch executes an operation that parsed and validated.
func dispatch(ctx context.Context, r *http.Request, exec graphql.GraphExecutor, op *graphql.OperationContext) (int, *graphql.Response) {
	if op.Operation != nil && op.Operation.Operation == ast.Subscription {
		err := gqlerror.Errorf("a subscription needs a WebSocket: connect to /query with the graphql-transport-ws protocol")
		err.Extensions = map[string]any{"code": CodeBadRequest}
		return http.StatusBadRequest, &graphql.Response{Errors: gqlerror.List{err}}
	}

	if r.Method == http.MethodGet && op.Operation != nil && op.Operation.Operation != ast.Query {
		err := gqlerror.Errorf("a %s cannot be sent with GET: send it with POST", op.Operation.Operation)
		err.Extensions = map[string]any{"code": CodeMethodNotAllow}
		return http.StatusMethodNotAllowed, &graphql.Response{Errors: gqlerror.List{err}}
	}

	responses, ctx := exec.DispatchOperation(ctx, op)
	response := responses(ctx)
	if response == nil {
		// gqlgen returns no response when the context ended first.
		return http.StatusServiceUnavailable, errorResponse(CodeTimeout, "the request took longer than the server allows: ask for less, or try again later")
	}

	return http.StatusOK, response
}

// requestErrorStatus is the status of a request that fails before
// execution (parse, validation, variable coercion, limits): 400 for clients
// that accept application/graphql-response+json, and 200 with the errors
// for legacy application/json clients, as the specification recommends.
func requestErrorStatus(media string) int {
	if media == mediaGraphQLResponse {
		return http.StatusBadRequest
	}

	return http.StatusOK
}

func (t Transport) batch(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, media string, body []byte) {
	if t.MaxBatch <= 1 {
		writeRequestError(w, media, http.StatusBadRequest, CodeBatchTooLarge, "batched requests are not accepted: send one operation per request")
		return
	}

	var items []json.RawMessage
	if err := json.Unmarshal(body, &items); err != nil {
		writeRequestError(w, media, http.StatusBadRequest, CodeBadRequest, "the request body is not valid JSON: "+err.Error())
		return
	}
	if len(items) == 0 {
		writeRequestError(w, media, http.StatusBadRequest, CodeBadRequest, "the batch is empty: send at least one operation")
		return
	}
	if len(items) > t.MaxBatch {
		writeRequestError(w, media, http.StatusBadRequest, CodeBatchTooLarge,
			fmt.Sprintf("the batch has %d operations, over the limit of %d: split it", len(items), t.MaxBatch))
		return
	}

	ops, responses := t.prepare(r, exec, media, items)
	if total := batchComplexity(ops); t.MaxBatchComplexity > 0 && total > t.MaxBatchComplexity {
		writeRequestError(w, media, http.StatusBadRequest, CodeBatchTooLarge,
			fmt.Sprintf("the batch's operations cost %d together, over the limit of %d: split it", total, t.MaxBatchComplexity))
		return
	}

	// A batch returns 200 and each operation reports its own errors: a 429
	// for one rate-limited operation would make a client retry the others.
	request.FromContext(r.Context()).SetStatus(http.StatusOK)
	for i, op := range ops {
		if op != nil {
			_, response := dispatch(r.Context(), r, exec, op)
			responses[i] = wire(response)
		}
	}

	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(responses)
}

// prepare parses and validates every operation of a batch. An operation
// that fails gets its response at once and a nil context.
func (t Transport) prepare(r *http.Request, exec graphql.GraphExecutor, media string, items []json.RawMessage) ([]*graphql.OperationContext, []wireResponse) {
	ops := make([]*graphql.OperationContext, len(items))
	responses := make([]wireResponse, len(items))

	for i, item := range items {
		params, err := decodeParams(item)
		if err != nil {
			responses[i] = wire(errorResponse(CodeBadRequest, fmt.Sprintf("operation %d: %v", i, err)))
			continue
		}

		params.Headers = r.Header
		params.ReadTime = graphql.TraceTiming{Start: graphql.Now(), End: graphql.Now()}
		op, errs := exec.CreateOperationContext(r.Context(), params)
		if errs != nil {
			responses[i] = wire(exec.DispatchError(graphql.WithOperationContext(r.Context(), op), errs))
			continue
		}
		ops[i] = op
	}

	return ops, responses
}

// batchComplexity adds up the cost of a batch's operations, as gqlgen's
// complexity limit measured each of them.
func batchComplexity(ops []*graphql.OperationContext) int {
	total := 0
	for _, op := range ops {
		if op == nil {
			continue
		}
		if stats, ok := op.Stats.GetExtension("ComplexityLimit").(*extension.ComplexityStats); ok {
			total += stats.Complexity
		}
	}

	return total
}

// negotiate picks the response media type from an Accept header.
func negotiate(accept string) (string, bool) {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON, true
	}

	jsonOK := false
	for _, part := range strings.Split(accept, ",") {
		mediaType, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || params["q"] == "0" {
			continue
		}
		switch mediaType {
		case mediaGraphQLResponse:
			return mediaGraphQLResponse, true
		case mediaJSON, "*/*", "application/*":
			jsonOK = true
		}
	}

	return mediaJSON, jsonOK
}

func checkContentType(header string) (int, error) {
	if header == "" {
		return http.StatusUnsupportedMediaType, fmt.Errorf("the request has no Content-Type: send Content-Type: application/json")
	}

	mediaType, params, err := mime.ParseMediaType(header)
	if err != nil || mediaType != mediaJSON {
		return http.StatusUnsupportedMediaType, fmt.Errorf("Content-Type %q is not accepted: send application/json, or multipart/form-data for uploads", header)
	}
	if charset, ok := params["charset"]; ok && !strings.EqualFold(charset, "utf-8") {
		return http.StatusUnsupportedMediaType, fmt.Errorf("charset %q is not accepted: send UTF-8", charset)
	}

	return 0, nil
}

func readFailure(err error) (int, string, string) {
	var tooLarge *http.MaxBytesError
	if asMaxBytes(err, &tooLarge) {
		return http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE",
			fmt.Sprintf("the request body is larger than the limit of %d bytes: send a smaller IDL or Markdown", tooLarge.Limit)
	}

	return http.StatusBadRequest, CodeBadRequest, "the request body could not be read: send it again"
}

func errorResponse(code, message string) *graphql.Response {
	err := &gqlerror.Error{Message: message, Extensions: map[string]any{"code": code}}
	return &graphql.Response{Errors: gqlerror.List{err}}
}

func writeRequestError(w http.ResponseWriter, media string, status int, code, message string) {
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	writeJSON(w, errorResponse(code, message))
}

// wireResponse is a response as sent. A request that failed before
// execution has no data entry at all, which the specification distinguishes
// from data that is null.
type wireResponse struct {
	Errors     gqlerror.List   `json:"errors,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	Extensions map[string]any  `json:"extensions,omitempty"`
}

func wire(response *graphql.Response) wireResponse {
	return wireResponse{Errors: response.Errors, Data: response.Data, Extensions: response.Extensions}
}

func writeJSON(w io.Writer, response *graphql.Response) {
	_ = json.NewEncoder(w).Encode(wire(response))
}
