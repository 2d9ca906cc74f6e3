// Package apperr defines the kinds of error every layer returns, each
// mapped to one GraphQL extensions.code by the error presenter.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Kind is a class of error that a client can act on.
type Kind string

// The kinds, named by the extensions.code they become.
const (
	NotFound        Kind = "NOT_FOUND"
	Invalid         Kind = "BAD_USER_INPUT"
	Unauthenticated Kind = "UNAUTHENTICATED"
	Forbidden       Kind = "FORBIDDEN"
	Conflict        Kind = "CONFLICT"
	TooLarge        Kind = "PAYLOAD_TOO_LARGE"
	RateLimited     Kind = "RATE_LIMITED"
	TooComplex      Kind = "QUERY_TOO_COMPLEX"
	Timeout         Kind = "REQUEST_TIMEOUT"
)

// Problem is one finding about an uploaded document, at a JSON path.
type Problem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// Error is an error a client can act on. Its message is shown to the client
// as it is, so it must never contain SQL, file paths or secrets.
type Error struct {
	Kind    Kind
	Message string
	// Field is the input field at fault, such as "input.programId".
	Field string
	// Problems lists every problem of an invalid IDL.
	Problems []Problem
	// RetryAfter is when a rate-limited caller may try again.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	return e.Message
}

// New returns an error of the given kind with a formatted message.
func New(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Field returns a BAD_USER_INPUT error about one input field.
func Field(field, format string, args ...any) *Error {
	return &Error{Kind: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// As finds the first *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}

	return nil, false
}

// Is reports whether err's chain holds an *Error of the given kind.
func Is(err error, kind Kind) bool {
	e, ok := As(err)
	return ok && e.Kind == kind
}
