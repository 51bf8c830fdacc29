// Command service is the drifted example: it imports example.com/greeting without requiring it,
// and still requires example.com/unused, which nothing imports any more.
package main

import (
	"fmt"

	"example.com/greeting"
)

func main() {
	fmt.Println("service built with", greeting.Version())
}
