// Command souk runs the souk marketplace; see `souk help`.
package main

import (
	"context"
	"os"

	"souk/internal/app"
)

func main() {
	os.Exit(app.Run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
