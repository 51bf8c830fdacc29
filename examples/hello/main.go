// Command hello is the tidy example: go.mod and go.sum match its imports.
package main

import (
	"fmt"

	"example.com/greeting"
)

func main() {
	fmt.Println("hello from", greeting.Version())
}
