// Command orquestra serves Solana program IDLs as a GraphQL graph.
//
//	orquestra [serve] [-addr 127.0.0.1:8080] [-db orquestra.db] [-demo]
//	orquestra token [-db orquestra.db] USERNAME
//	orquestra migrate [-db orquestra.db]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/orquestra/orquestra/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	err := app.Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "orquestra:", err)
		os.Exit(1)
	}
}
