// Package lifecycle holds tests of the server as a process: it builds the
// orquestra binary, runs it on 127.0.0.1, and kills or stops it under load
// to check that the database survives and in-flight requests finish.
package lifecycle
