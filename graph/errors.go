package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/internal/request"
)

// internalCode is the extensions.code of every error that is not the
// client's to fix.
const internalCode = "INTERNAL_SERVER_ERROR"

// complexityMessage matches gqlgen's (v0.17.98) complexity error, to add
// its numbers as extensions like the other limits have.
var complexityMessage = regexp.MustCompile(`complexity (\d+), which exceeds the limit of (\d+)`)

// codeTooManyTokens marks a document over the parser's token limit, which
// gqlgen reports as a plain parse error.
const codeTooManyTokens = "TOO_MANY_TOKENS"

// gqlgen's own codes, renamed to ours.
var gqlgenCodes = map[string]string{
	errcode.ParseFailed:                   string(apperr.Invalid),
	errcode.ValidationFailed:              string(apperr.Invalid),
	"COMPLEXITY_LIMIT_EXCEEDED":           string(apperr.TooComplex),
	"PERSISTED_QUERY_NOT_FOUND":           "PERSISTED_QUERY_NOT_FOUND",
	"PERSISTED_QUERY_NOT_SUPPORTED":       "PERSISTED_QUERY_NOT_SUPPORTED",
	"GRAPHQL_OPERATION_NOT_FOUND":         string(apperr.Invalid),
	"OPERATION_RESOLUTION_FAILURE":        string(apperr.Invalid),
	"PERSISTED_QUERY_HASH_MISMATCH_ERROR": string(apperr.Invalid),
}

// statusOf gives the HTTP status of kinds that have one of their own.
var statusOf = map[apperr.Kind]int{
	apperr.TooLarge:    http.StatusRequestEntityTooLarge,
	apperr.RateLimited: http.StatusTooManyRequests,
	apperr.Timeout:     http.StatusServiceUnavailable,
}

// ErrorPresenter turns every error into a client error with an
// extensions.code. Errors of our kinds keep their message; anything else is
// internal: logged with its cause and shown only as a generic message with
// the request id, so that no SQL, path or secret reaches the client.
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := present(ctx, log, err)
		if code, ok := gqlErr.Extensions["code"].(string); ok {
			request.FromContext(ctx).AddCode(code)
		}

		return gqlErr
	}
}

func present(ctx context.Context, log *slog.Logger, err error) *gqlerror.Error {
	gqlErr := graphql.DefaultErrorPresenter(ctx, err)
	if gqlErr.Extensions == nil {
		gqlErr.Extensions = map[string]any{}
	}

	if errors.Is(err, context.DeadlineExceeded) {
		err = apperr.New(apperr.Timeout, "the request took longer than the server allows: ask for less, or try again later")
	}
	if e, ok := apperr.As(err); ok {
		return presentKnown(ctx, gqlErr, e)
	}

	addFix(gqlErr)
	if code, ok := gqlErr.Extensions["code"].(string); ok {
		gqlErr.Extensions["code"] = renameCode(code)
		if m := tokenLimitMessage.FindStringSubmatch(gqlErr.Message); m != nil {
			limit, _ := strconv.Atoi(m[1])
			gqlErr.Extensions["code"] = codeTooManyTokens
			gqlErr.Extensions["limit"] = limit
			gqlErr.Message += ": send a shorter document"
		}
		if m := complexityMessage.FindStringSubmatch(gqlErr.Message); m != nil {
			actual, _ := strconv.Atoi(m[1])
			limit, _ := strconv.Atoi(m[2])
			gqlErr.Extensions["actual"], gqlErr.Extensions["limit"] = actual, limit
			gqlErr.Message += ": ask for fewer items with first, or fewer whole documents"
		}
		return gqlErr
	}

	var inner *gqlerror.Error
	if errors.As(err, &inner) && inner.Unwrap() == nil {
		// A GraphQL error of the request itself, such as a variable of the wrong type.
		gqlErr.Extensions["code"] = string(apperr.Invalid)
		return gqlErr
	}

	return presentInternal(ctx, log, gqlErr, err)
}

func renameCode(code string) string {
	if renamed, ok := gqlgenCodes[code]; ok {
		return renamed
	}

	return code
}

func presentKnown(ctx context.Context, gqlErr *gqlerror.Error, e *apperr.Error) *gqlerror.Error {
	gqlErr.Message = e.Message
	gqlErr.Extensions["code"] = string(e.Kind)
	if e.Field != "" {
		gqlErr.Extensions["field"] = e.Field
	}
	if len(e.Problems) > 0 {
		gqlErr.Extensions["problems"] = e.Problems
	}
	if status, ok := statusOf[e.Kind]; ok {
		request.FromContext(ctx).SetStatus(status)
	}
	if e.RetryAfter > 0 {
		seconds := int(math.Ceil(e.RetryAfter.Seconds()))
		gqlErr.Extensions["retryAfter"] = seconds
		request.FromContext(ctx).SetHeader("Retry-After", strconv.Itoa(seconds))
	}

	return gqlErr
}

func presentInternal(ctx context.Context, log *slog.Logger, gqlErr *gqlerror.Error, err error) *gqlerror.Error {
	id := request.ID(ctx)
	log.ErrorContext(ctx, "internal error", "request_id", id, "path", gqlErr.Path.String(), "err", err)

	gqlErr.Message = fmt.Sprintf("internal server error: report request id %s if it persists", id)
	gqlErr.Extensions = map[string]any{"code": internalCode, "requestId": id}
	return gqlErr
}

// Recover turns a resolver panic into an internal error, logging the panic
// and its stack.
func Recover(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "resolver panic", "request_id", request.ID(ctx), "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return fmt.Errorf("resolver panic: %v", p)
	}
}

var (
	tokenLimitMessage = regexp.MustCompile(`^exceeded token limit of (\d+)$`)
	operationNotFound = regexp.MustCompile(`^operation \S+ not found$`)
)

// gqlgenFixes completes gqlgen's messages about persisted queries with the
// fix. PersistedQueryNotFound stays as it is, because clients of the
// automatic persisted queries protocol match that exact message to send
// the query text.
var gqlgenFixes = map[string]string{
	"provided APQ hash does not match query": "send the SHA-256 of the query text, in lower-case hex, as extensions.persistedQuery.sha256Hash",
	"unsupported APQ version":                "set extensions.persistedQuery.version to 1",
	"invalid APQ extension data":             `send extensions.persistedQuery as {"version": 1, "sha256Hash": "<hex>"}`,
}

// addFix adds the fix to gqlgen's messages that name a problem only.
func addFix(e *gqlerror.Error) {
	switch {
	case e.Message == "operation  not found":
		e.Message = "the document has several operations: name the one to run in operationName"
	case operationNotFound.MatchString(e.Message):
		e.Message += ": name an operation the document defines"
	case strings.HasPrefix(e.Message, "cannot use struct as "):
		e.Message = "a file was mapped to a variable that is not an Upload: map files only to Upload variables such as input.idl, and send text fields as strings"
	default:
		if fix, ok := gqlgenFixes[e.Message]; ok {
			e.Message += ": " + fix
		}
	}
}
